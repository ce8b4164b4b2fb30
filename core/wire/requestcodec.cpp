#include "core/wire/requestcodec.h"

using namespace Qt::StringLiterals;

namespace invoke::wire {

Json requestBody(const InvokeRequest &request)
{
    Json body = Json::object();
    if (!request.messages.isEmpty())
        body["messages"] = toJson(request.messages);
    if (request.parameters.is_object() && !request.parameters.empty())
        body["parameters"] = request.parameters;
    if (!request.datasets.isEmpty())
        body["dataset_slugs"] = toJson(request.datasets);
    if (request.mode != Mode::live())
        body["mode"] = request.mode.toJson();
    if (!request.manualMocks.isEmpty())
        body["manual_mocks"] = request.manualMocks.toJson();
    if (!request.pinnedAnswers.isEmpty())
        body["pinned_answers"] = request.pinnedAnswers.toJson();
    if (request.replayEntries.is_array()) // even empty: the run's own (empty) store, not the server's cache
        body["replay_entries"] = request.replayEntries;
    return body;
}

QByteArray encodeRequestBody(const InvokeRequest &request)
{
    return dumpJson(requestBody(request));
}

static std::optional<QStringList> readSlugs(const Json &value, QString *error)
{
    auto fail = [&](const QString &why) -> std::optional<QStringList> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    if (!value.is_array())
        return fail(u"dataset_slugs: must be an array of dataset slugs (strings)"_s);
    QStringList slugs;
    for (size_t i = 0; i < value.size(); ++i) {
        if (!value[i].is_string())
            return fail(u"dataset_slugs[%1]: must be a string"_s.arg(i));
        const QString slug = toQString(value[i].get_ref<const std::string &>());
        if (slug.trimmed().isEmpty())
            return fail(u"dataset_slugs[%1]: an empty slug names no dataset"_s.arg(i));
        slugs.append(slug);
    }
    return slugs;
}

std::optional<InvokeRequest> requestFromBody(const Json &body, const QString &botKey, QString *error)
{
    auto fail = [&](const QString &why) -> std::optional<InvokeRequest> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    if (!body.is_object())
        return fail(u"the body must be a JSON object {messages, parameters, dataset_slugs, mode, manual_mocks}"_s);

    // A present, non-null member, or nullptr.
    auto member = [&](const char *name) -> const Json * {
        const auto it = body.find(name);
        return it == body.end() || it->is_null() ? nullptr : &*it;
    };

    InvokeRequest request;
    request.botKey = botKey;
    QString why;
    if (const Json *messages = member("messages")) {
        auto list = messagesFromJson(*messages, &why);
        if (!list)
            return fail(why.startsWith(u"messages"_s) ? why : u"messages: "_s + why);
        request.messages = *list;
    }
    if (const Json *parameters = member("parameters")) {
        if (!parameters->is_object())
            return fail(u"parameters: must be a JSON object mapping parameter keys to values"_s);
        request.parameters = *parameters;
    }
    if (const Json *slugs = member("dataset_slugs")) {
        auto list = readSlugs(*slugs, error);
        if (!list)
            return std::nullopt;
        request.datasets = *list;
    }
    if (const Json *mode = member("mode")) {
        auto parsed = Mode::fromJson(*mode, &why);
        if (!parsed)
            return fail(u"mode: "_s + why);
        request.mode = *parsed;
    }
    if (const Json *mocks = member("manual_mocks")) {
        QList<MockProblem> problems;
        auto set = MockSet::fromJson(*mocks, &problems);
        if (!set) {
            QStringList lines;
            for (const MockProblem &p : std::as_const(problems))
                lines.append(p.toString());
            return fail(u"manual_mocks: "_s + lines.join(u"; "_s));
        }
        request.manualMocks = *set;
    }
    if (const Json *pinned = member("pinned_answers")) {
        QList<MockProblem> problems;
        auto set = MockSet::fromJson(*pinned, &problems);
        if (!set) {
            QStringList lines;
            for (const MockProblem &p : std::as_const(problems))
                lines.append(p.toString());
            return fail(u"pinned_answers: "_s + lines.join(u"; "_s));
        }
        request.pinnedAnswers = *set;
    }
    if (const Json *entries = member("replay_entries")) {
        // Each entry is checked where it is used (the engine: cache::CacheEntry::fromJson).
        if (!entries->is_array())
            return fail(u"replay_entries: must be an array of replay-cache entries (docs/cache.md)"_s);
        request.replayEntries = *entries;
    }
    return request;
}

std::optional<InvokeRequest> decodeRequestBody(QByteArrayView body, const QString &botKey, QString *error)
{
    if (body.trimmed().isEmpty()) {
        // An empty body is an invocation with nothing but defaults.
        InvokeRequest request;
        request.botKey = botKey;
        return request;
    }
    QString why;
    const Json value = parseJson(body, &why);
    if (value.is_discarded()) {
        if (error)
            *error = u"the body is not valid JSON: "_s + why;
        return std::nullopt;
    }
    return requestFromBody(value, botKey, error);
}

} // namespace invoke::wire
