#include "core/model/invocation/message.h"

using namespace Qt::StringLiterals;

namespace invoke {

Json Message::toJson() const
{
    return Json{{"role", toStd(role)}, {"content", toStd(content)}};
}

std::optional<Message> Message::fromJson(const Json &value, QString *error)
{
    if (!value.is_object()) {
        if (error)
            *error = u"a message must be an object with \"role\" and \"content\""_s;
        return std::nullopt;
    }
    Message m{stringField(value, "role"), stringField(value, "content")};
    if (m.role != u"user"_s && m.role != u"assistant"_s && m.role != u"system"_s) {
        if (error)
            *error = u"\"role\" must be \"user\", \"assistant\" or \"system\""_s;
        return std::nullopt;
    }
    if (!value.contains("content") || !value["content"].is_string()) {
        if (error)
            *error = u"\"content\" must be a string"_s;
        return std::nullopt;
    }
    return m;
}

Json toJson(const QList<Message> &messages)
{
    Json array = Json::array();
    for (const Message &m : messages)
        array.push_back(m.toJson());
    return array;
}

std::optional<QList<Message>> messagesFromJson(const Json &value, QString *error)
{
    if (!value.is_array()) {
        if (error)
            *error = u"messages must be an array of {\"role\", \"content\"} objects"_s;
        return std::nullopt;
    }
    QList<Message> messages;
    for (size_t i = 0; i < value.size(); ++i) {
        QString why;
        auto m = Message::fromJson(value[i], &why);
        if (!m) {
            if (error)
                *error = u"messages[%1]: %2"_s.arg(i).arg(why);
            return std::nullopt;
        }
        messages.append(*m);
    }
    return messages;
}

} // namespace invoke
