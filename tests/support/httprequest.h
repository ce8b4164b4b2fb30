#pragma once
// The HTTP/1.1 bits the loopback test servers (LoopbackHttpServer and its subclasses) share:
// reading one request from what a client sent so far, and the status line's words.
#include "core/model/json/json.h"

#include <QtCore/QByteArray>
#include <QtCore/QMap>

namespace invoke::test {

struct RecordedRequest
{
    QByteArray method;
    QByteArray path;
    QMap<QByteArray, QByteArray> headers; // names in lowercase
    QByteArray body;

    QByteArray header(const QByteArray &name) const { return headers.value(name.toLower()); }
    Json json() const { return parseJson(body); }
};

// The request at the start of `buffer` (its body as long as Content-Length says); false
// while its headers or body are still coming.
bool readRequest(const QByteArray &buffer, RecordedRequest *request);

QByteArray reasonPhrase(int status); // "Not Found" for 404; "Error" when not known

} // namespace invoke::test
