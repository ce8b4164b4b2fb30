#pragma once
// What a connection hands to the server: first the head alone (admit: the token, the
// route, the local-only checks, before a byte of body is read), then the whole request.
#include "app/server/http/httphead.h"
#include "app/server/http/httpreply.h"

#include <QtCore/QElapsedTimer>

#include <memory>
#include <optional>

namespace invoke::server {

struct Refusal
{
    int status = 0;
    QString message;
    HeaderList headers; // e.g. WWW-Authenticate, Allow
};

struct Admission
{
    std::optional<Refusal> refusal;
    QString organisation; // who the token belongs to ("local" without tokens)
    QByteArray tokenKey;  // identifies the token (a digest), for per-token limits
};

struct HttpRequest
{
    HttpHead head;
    QByteArray body;
    Admission admission;
    QElapsedTimer since; // since the head was complete
};

class RequestHandler
{
public:
    virtual ~RequestHandler() = default;
    // The head is complete and well framed; none of its body has been read yet.
    // `localPort`: the port the connection came in on.
    virtual Admission admit(const HttpHead &head, quint16 localPort) = 0;
    // The whole request, admitted; `reply` answers it exactly once.
    virtual void handle(HttpRequest request, std::shared_ptr<HttpReply> reply) = 0;
};

} // namespace invoke::server
