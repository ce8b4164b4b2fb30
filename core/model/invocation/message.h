#pragma once
#include "core/model/json/json.h"

#include <QtCore/QList>

namespace invoke {

// One turn of a conversation: role is "user", "assistant" or "system".
struct Message
{
    QString role;
    QString content;

    static Message user(const QString &text) { return {QStringLiteral("user"), text}; }
    static Message assistant(const QString &text) { return {QStringLiteral("assistant"), text}; }

    Json toJson() const;
    // Fills `error` and returns nullopt when the value is not {role, content} with a known role.
    static std::optional<Message> fromJson(const Json &value, QString *error = nullptr);

    bool operator==(const Message &) const = default;
};

Json toJson(const QList<Message> &messages);
// Reads an array of messages; `error` names the index that is wrong.
std::optional<QList<Message>> messagesFromJson(const Json &value, QString *error = nullptr);

} // namespace invoke
