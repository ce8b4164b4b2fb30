#pragma once
// --insecure-no-auth serves this machine only. Listening on loopback is not enough: any
// web page the user opens can send requests to 127.0.0.1 (a form post needs no CORS
// preflight), and with DNS rebinding read the answers. So without tokens a request must
// name this server as its Host, come from no other Origin, and post JSON (which a page
// cannot send cross-site without a preflight this server never grants).
#include "app/server/http/httphead.h"
#include "app/server/requesthandler.h"

#include <optional>

namespace invoke::server {

// 403 for a Host or Origin that is not 127.0.0.1:PORT, localhost:PORT or [::1]:PORT;
// 415 for a POST whose Content-Type is not application/json; nothing when all is well.
std::optional<Refusal> localOnlyRefusal(const HttpHead &head, quint16 port);

} // namespace invoke::server
