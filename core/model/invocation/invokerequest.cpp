#include "core/model/invocation/invokerequest.h"

using namespace Qt::StringLiterals;

namespace invoke {

QString outputFormatName(OutputFormat format)
{
    switch (format) {
    case OutputFormat::Events: return u"events"_s;
    case OutputFormat::Text: return u"text"_s;
    case OutputFormat::Json: return u"json"_s;
    }
    return u"text"_s;
}

std::optional<OutputFormat> outputFormatFromName(const QString &name, QString *error)
{
    if (name == u"events"_s)
        return OutputFormat::Events;
    if (name == u"text"_s)
        return OutputFormat::Text;
    if (name == u"json"_s)
        return OutputFormat::Json;
    if (error)
        *error = u"unknown output format \"%1\" (expected events, text or json)"_s.arg(name);
    return std::nullopt;
}

QString InvokeRequest::query() const
{
    for (auto it = messages.crbegin(); it != messages.crend(); ++it)
        if (it->role == u"user"_s)
            return it->content;
    return {};
}

Json InvokeRequest::toJson() const
{
    Json j{{"bot_key", toStd(botKey)},
           {"messages", invoke::toJson(messages)},
           {"parameters", parameters},
           {"dataset_slugs", invoke::toJson(datasets)},
           {"mode", mode.toJson()},
           {"manual_mocks", manualMocks.toJson()},
           {"output_format", toStd(outputFormatName(outputFormat))},
           {"verbose", verbose}};
    if (!pinnedAnswers.isEmpty())
        j["pinned_answers"] = pinnedAnswers.toJson();
    if (replayEntries.is_array())
        j["replay_entries"] = replayEntries;
    return j;
}

std::optional<InvokeRequest> InvokeRequest::fromJson(const Json &value, QString *error)
{
    if (!value.is_object()) {
        if (error)
            *error = u"a request must be a JSON object"_s;
        return std::nullopt;
    }
    InvokeRequest r;
    r.botKey = stringField(value, "bot_key");
    if (value.contains("messages")) {
        auto messages = messagesFromJson(value["messages"], error);
        if (!messages)
            return std::nullopt;
        r.messages = *messages;
    }
    if (value.contains("parameters")) {
        if (!value["parameters"].is_object()) {
            if (error)
                *error = u"\"parameters\" must be a JSON object"_s;
            return std::nullopt;
        }
        r.parameters = value["parameters"];
    }
    r.datasets = stringListFromJson(value.value("dataset_slugs", Json::array()));
    if (value.contains("mode")) {
        auto mode = Mode::fromJson(value["mode"], error);
        if (!mode)
            return std::nullopt;
        r.mode = *mode;
    }
    if (value.contains("manual_mocks")) {
        QList<MockProblem> problems;
        auto mocks = MockSet::fromJson(value["manual_mocks"], &problems);
        if (!mocks) {
            if (error)
                *error = u"manual_mocks: "_s + (problems.isEmpty() ? QString() : problems.first().toString());
            return std::nullopt;
        }
        r.manualMocks = *mocks;
    }
    if (value.contains("pinned_answers")) {
        QList<MockProblem> problems;
        auto pinned = MockSet::fromJson(value["pinned_answers"], &problems);
        if (!pinned) {
            if (error)
                *error = u"pinned_answers: "_s + (problems.isEmpty() ? QString() : problems.first().toString());
            return std::nullopt;
        }
        r.pinnedAnswers = *pinned;
    }
    if (value.contains("replay_entries")) {
        if (!value["replay_entries"].is_array()) {
            if (error)
                *error = u"replay_entries: must be an array of replay-cache entries"_s;
            return std::nullopt;
        }
        r.replayEntries = value["replay_entries"];
    }
    if (value.contains("output_format")) {
        auto format = outputFormatFromName(stringField(value, "output_format"), error);
        if (!format)
            return std::nullopt;
        r.outputFormat = *format;
    }
    r.verbose = boolField(value, "verbose");
    return r;
}

} // namespace invoke
