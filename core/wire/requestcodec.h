#pragma once
// The body of POST {endpoint}/bots/{bot_key}/invoke (docs/server.md):
// {messages, parameters, dataset_slugs, mode, manual_mocks, pinned_answers, replay_entries}, each left out when empty
// (replay_entries only when not given: an empty array is sent, it means "these entries only: none");
// mode is left out when it is plain "live" (the server's default). The bot key travels
// in the URL, and outputFormat/verbose never travel at all.
#include "core/model/invocation/invokerequest.h"

namespace invoke::wire {

Json requestBody(const InvokeRequest &request);
QByteArray encodeRequestBody(const InvokeRequest &request); // compact JSON

// Reads a body into a request for `botKey`. Unknown fields are tolerated and a null
// field counts as absent; anything else wrong fills `error` with the field and the
// reason (e.g. `messages[1]: "role" must be ...`), fit for a 400 answer.
std::optional<InvokeRequest> requestFromBody(const Json &body, const QString &botKey,
                                             QString *error = nullptr);
std::optional<InvokeRequest> decodeRequestBody(QByteArrayView body, const QString &botKey,
                                               QString *error = nullptr);

} // namespace invoke::wire
