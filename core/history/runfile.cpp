#include "core/history/runfile.h"

#include "core/cache/cacheentry.h"
#include "core/model/redaction.h"

#include <QtCore/QFile>
#include <QtCore/QSaveFile>
#include <QtCore/QScopeGuard>

#include <unistd.h>
#include <zlib.h>

using namespace Qt::StringLiterals;

namespace invoke::history {

namespace {

Json summaryJson(const RunSummary &s)
{
    Json out = s.toListJson();
    out["bot_name"] = toStd(s.botName);
    out["bot_updated_at"] = toStd(s.botUpdatedAt);
    out["error"] = toStd(s.error);
    out["event_count"] = s.eventCount;
    return out;
}

RunSummary summaryFrom(const Json &j)
{
    RunSummary s;
    s.invocationId = stringField(j, "invocation_id");
    s.botKey = stringField(j, "bot_key");
    s.botName = stringField(j, "bot_name");
    s.startedAt = QDateTime::fromString(stringField(j, "started_at"), Qt::ISODateWithMs).toUTC();
    s.mode = stringField(j, "mode");
    s.profile = stringField(j, "profile");
    s.botUpdatedAt = stringField(j, "bot_updated_at");
    s.outcome = outcomeFromName(stringField(j, "outcome")).value_or(Outcome::Unfinished);
    s.durationMs = j.value("duration_ms", Json()).is_number_integer() ? j["duration_ms"].get<qint64>() : -1;
    s.tokens = intField(j, "tokens");
    s.error = stringField(j, "error");
    return s;
}

// An event line exactly as writeRunFile writes it, {"t":N,"event":RAW}: the event's
// bytes are sliced out and read once (Event::decode, one SAX pass for its header), not
// parsed as a whole line and written out again. nullopt for any other shape (spaces, other
// member order, a bad event), which then takes the general parse and its messages.
std::optional<TimedEvent> fastEventLine(QByteArrayView line)
{
    static constexpr QByteArrayView head = "{\"t\":";
    static constexpr QByteArrayView middle = ",\"event\":";
    if (!line.startsWith(head) || !line.endsWith('}'))
        return std::nullopt;
    qsizetype i = head.size();
    qint64 at = 0;
    const qsizetype digitsFrom = i;
    while (i < line.size() && line[i] >= '0' && line[i] <= '9' && i - digitsFrom < 18)
        at = at * 10 + (line[i++] - '0');
    if (i == digitsFrom || !line.sliced(i).startsWith(middle))
        return std::nullopt;
    i += middle.size();
    const QByteArrayView raw = line.sliced(i, line.size() - 1 - i);
    if (raw.isEmpty() || raw.front() != '{' || raw.back() != '}')
        return std::nullopt;
    auto event = Event::decode(raw);
    if (!event)
        return std::nullopt;
    return TimedEvent{at, std::move(*event)};
}

} // namespace

bool writeRunFile(const QString &filePath, const RunFile &run, const QStringList &secrets, QString *error)
{
    const auto fail = [&](const QString &what) {
        if (error)
            *error = u"%1: %2"_s.arg(filePath, what);
        return false;
    };
    QSaveFile file(filePath);
    if (!file.open(QIODevice::WriteOnly))
        return fail(file.errorString());
    gzFile gz = gzdopen(::dup(file.handle()), "wb6");
    if (!gz)
        return fail(u"cannot compress"_s);
    InvokeRequest request = run.record.request;
    Json requestJson = request.toJson();
    QList<Redaction> found;
    redactJson(requestJson, secrets, {}, {}, &found);
    Json mocks = run.mocks;
    redactJson(mocks, secrets, {}, {}, &found);
    Json entries = run.cacheEntries;
    redactJson(entries, secrets, {}, {}, &found);
    for (Json &entry : entries) {
        // A masked part changes the key: it is the key of what the file holds (the request
        // is masked the same way, so a re-run of it renders the same parts).
        if (!entry.is_object() || !entry.contains("parameters"))
            continue;
        entry["key"] = toStd(cache::CacheKeyParts::key(stringField(entry, "scope"), stringField(entry, "bot_key"),
                                                       stringField(entry, "bot_updated_at"),
                                                       stringField(entry, "action_type"), entry["parameters"]));
    }
    Json summary = summaryJson(run.record.summary);
    summary["event_count"] = run.record.events.size();
    QList<QByteArray> secretBytes;
    for (const QString &s : secrets)
        if (s.size() >= 4)
            secretBytes << s.toUtf8();
    Json header = {{"format", "invoke-run"}, {"version", run.bots.isEmpty() ? 1 : kRunFileVersion},
                   {"summary", summary}, {"request", requestJson}, {"bot_plan", run.record.botPlan},
                   {"mocks", mocks}, {"cache_entries", entries}};
    if (!run.bots.isEmpty()) {
        QList<BotSource> bots = run.bots;
        for (BotSource &bot : bots)
            for (const QByteArray &s : std::as_const(secretBytes))
                bot.content.replace(s, RedactedText);
        header["bots"] = botSourcesJson(bots);
    }
    QByteArray buffer = dumpJson(header) + '\n';
    const auto flushBuffer = [&] {
        const bool ok = buffer.isEmpty() || gzwrite(gz, buffer.constData(), unsigned(buffer.size())) == int(buffer.size());
        buffer.clear();
        return ok;
    };
    for (const TimedEvent &e : run.record.events) {
        QByteArray raw = e.event.raw;
        for (const QByteArray &s : std::as_const(secretBytes))
            raw.replace(s, RedactedText);
        buffer += "{\"t\":" + QByteArray::number(e.atMs) + ",\"event\":" + raw + "}\n";
        if (buffer.size() > (1 << 20) && !flushBuffer())
            break;
    }
    const bool written = flushBuffer();
    if (gzclose(gz) != Z_OK || !written)
        return fail(u"cannot write the compressed run"_s);
    if (!file.commit())
        return fail(file.errorString());
    return true;
}

std::optional<RunFile> readRunFile(const QString &filePath, QString *error, qint64 maxBytes)
{
    const auto fail = [&](const QString &what) -> std::optional<RunFile> {
        if (error)
            *error = u"%1: %2"_s.arg(filePath, what);
        return std::nullopt;
    };
    gzFile gz = gzopen(QFile::encodeName(filePath).constData(), "rb");
    if (!gz)
        return fail(u"cannot be opened"_s);
    const auto closeGz = qScopeGuard([&gz] { gzclose(gz); });

    RunFile run;
    qint64 promised = -1; // the events the header says follow
    int line = 0;
    bool haveHeader = false;
    // One line (without its newline); an error text when it is wrong. `lastLineOpen`: the
    // file ended inside it.
    const auto readLine = [&](QByteArrayView bytes, bool lastLineOpen) -> QString {
        ++line;
        if (bytes.trimmed().isEmpty())
            return {};
        if (haveHeader) {
            if (auto fast = fastEventLine(bytes)) {
                run.record.events.append(std::move(*fast));
                return {};
            }
        }
        QString parseError;
        const Json value = parseJson(bytes, &parseError, kJsonMaxWireDepth);
        if (value.is_discarded() && !haveHeader)
            return u"not a run file (its first line is not a JSON header)"_s;
        if (value.is_discarded())
            return u"line %1: %2%3"_s.arg(line).arg(parseError, lastLineOpen ? u" (the file looks cut short)"_s : QString());
        if (!haveHeader) {
            if (!value.is_object() || stringField(value, "format") != u"invoke-run"_s)
                return u"not a run file (its first line does not say \"format\": \"invoke-run\")"_s;
            const qint64 version = intField(value, "version");
            if (version > kRunFileVersion)
                return u"written by a newer version (run file version %1; this one reads up to %2)"_s.arg(version).arg(
                    kRunFileVersion);
            if (version < 1)
                return u"line 1: \"version\" must be a whole number from 1"_s;
            run.record.summary = summaryFrom(value.value("summary", Json::object()));
            promised = intField(value.value("summary", Json::object()), "event_count", -1);
            QString requestError;
            auto request = InvokeRequest::fromJson(value.value("request", Json::object()), &requestError);
            if (!request)
                return u"line 1: request: "_s + requestError;
            run.record.request = *request;
            run.record.botPlan = value.value("bot_plan", Json());
            run.mocks = value.value("mocks", Json());
            run.cacheEntries = value.value("cache_entries", Json::array());
            if (run.cacheEntries.is_null())
                run.cacheEntries = Json::array();
            if (!run.cacheEntries.is_array())
                return u"line 1: \"cache_entries\" must be an array of replay-cache entries"_s;
            QString botsError;
            auto bots = botSourcesFromJson(value.value("bots", Json()), &botsError);
            if (!bots)
                return u"line 1: "_s + botsError;
            run.bots = std::move(*bots);
            if (promised > 0)
                run.record.events.reserve(qsizetype(std::min<qint64>(promised, 1 << 24)));
            haveHeader = true;
            return {};
        }
        if (!value.is_object() || !value.contains("t") || !value["t"].is_number_integer() || !value.contains("event")
            || !value["event"].is_object())
            return u"line %1: an event line is {\"t\": MS, \"event\": {...}}"_s.arg(line);
        run.record.events.append(TimedEvent{value["t"].get<qint64>(), Event::fromJson(value["event"])});
        return {};
    };

    // Decompressed a slice at a time and read line by line, so the whole text is never
    // held at once (a 1M-event file is ~230 MB of text).
    QByteArray pending; // the start of a line the next slice goes on with
    qint64 total = 0;
    char chunk[1 << 16];
    int n = 0;
    while ((n = gzread(gz, chunk, sizeof chunk)) > 0) {
        total += n;
        if (total > maxBytes)
            return fail(u"more than %1 bytes once decompressed, more than a run file may hold"_s.arg(maxBytes));
        pending.append(chunk, n);
        qsizetype from = 0;
        for (qsizetype end = pending.indexOf('\n'); end >= 0; end = pending.indexOf('\n', from)) {
            if (const QString why = readLine(QByteArrayView(pending).sliced(from, end - from), false); !why.isEmpty())
                return fail(why);
            from = end + 1;
        }
        pending.remove(0, from);
    }
    int status = Z_OK;
    const char *message = gzerror(gz, &status);
    if (n < 0 || (status != Z_OK && status != Z_STREAM_END))
        return fail(u"the file is damaged or cut short (%1)"_s.arg(QString::fromUtf8(message)));
    if (!pending.isEmpty())
        if (const QString why = readLine(pending, true); !why.isEmpty())
            return fail(why);
    if (!haveHeader)
        return fail(u"empty: not a run file"_s);
    if (promised >= 0 && run.record.events.size() != promised)
        return fail(u"cut short: %1 of the %2 events it holds are there"_s.arg(run.record.events.size()).arg(promised));
    run.record.summary.eventCount = run.record.events.size();
    return run;
}

} // namespace invoke::history
