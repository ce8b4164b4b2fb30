#include "core/history/botsources.h"

#include "core/model/botplan.h"
#include "core/model/json/jsonlocator.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QSaveFile>

using namespace Qt::StringLiterals;

namespace invoke::history {

namespace {

// A bot file's version as the catalog reads it: its modification time, UTC, with ms (a
// resource's missing time reads as the epoch there too).
QString fileVersion(const QFileInfo &file)
{
    QDateTime at = file.lastModified().toUTC();
    if (!at.isValid())
        at = QDateTime::fromMSecsSinceEpoch(0, Qt::UTC);
    return at.toString(Qt::ISODateWithMs);
}

// Inside `folder` once links are followed (Qt resources have none).
bool readableInside(const QFileInfo &file, const QString &folder)
{
    if (folder.startsWith(u':'))
        return true;
    const QString base = QDir(folder).canonicalPath();
    const QString real = file.canonicalFilePath();
    return !base.isEmpty() && real.startsWith(base + u'/');
}

// A file name for a key: its own letters where they are safe in a file name.
QString fileNameFor(const QString &key)
{
    QString name;
    for (const QChar c : key)
        name += (c.isLetterOrNumber() && c.unicode() < 128) || c == u'-' || c == u'_' || c == u'.' ? c : u'_';
    if (name.isEmpty() || name.startsWith(u'.'))
        name.prepend(u"bot"_s);
    return name + u".bot.json"_s;
}

} // namespace

Json BotSource::toJson() const
{
    return Json{{"key", toStd(key)}, {"updated_at", toStd(updatedAt)}, {"file_name", toStd(fileName)},
                {"content", content.toStdString()}};
}

std::optional<BotSource> BotSource::fromJson(const Json &value, QString *error)
{
    const auto fail = [&](const QString &why) -> std::optional<BotSource> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    if (!value.is_object())
        return fail(u"must be an object {\"key\", \"updated_at\", \"file_name\", \"content\"}"_s);
    for (const char *name : {"key", "updated_at", "content"})
        if (!value.contains(name) || !value[name].is_string())
            return fail(u"%1: must be a string"_s.arg(QLatin1String(name)));
    BotSource source;
    source.key = stringField(value, "key");
    source.updatedAt = stringField(value, "updated_at");
    source.fileName = stringField(value, "file_name");
    const std::string &content = value["content"].get_ref<const std::string &>();
    if (source.key.isEmpty())
        return fail(u"key: must not be empty"_s);
    if (!QDateTime::fromString(source.updatedAt, Qt::ISODateWithMs).isValid())
        return fail(u"updated_at: \"%1\" is not an ISO 8601 time"_s.arg(source.updatedAt));
    if (qint64(content.size()) > kMaxBotSourceBytes)
        return fail(u"content: %1 bytes; a bot file may hold at most %2"_s.arg(content.size()).arg(kMaxBotSourceBytes));
    source.content = QByteArray::fromStdString(content);
    return source;
}

QList<BotVersion> runBotVersions(const RunRecord &run)
{
    QList<BotVersion> bots;
    const auto plan = BotPlan::fromJson(run.botPlan);
    QString topVersion = run.summary.botUpdatedAt;
    if (topVersion.isEmpty() && plan && plan->updatedAt.isValid())
        topVersion = plan->updatedAt.toUTC().toString(Qt::ISODateWithMs);
    const QString top = !run.summary.botKey.isEmpty() ? run.summary.botKey : run.request.botKey;
    if (!top.isEmpty())
        bots.append({top, topVersion});
    if (!plan)
        return bots;
    for (const PlannedStep &step : plan->steps) {
        if (step.depth == 0 || step.botKey.isEmpty())
            continue;
        if (std::none_of(bots.cbegin(), bots.cend(), [&](const BotVersion &b) { return b.key == step.botKey; }))
            bots.append({step.botKey, step.botUpdatedAt});
    }
    return bots;
}

FoundBotSources findBotSources(const QList<BotVersion> &bots, const QStringList &folders)
{
    QHash<QString, QString> wanted; // key -> version
    for (const BotVersion &b : bots)
        wanted.insert(b.key, b.updatedAt);
    QHash<QString, BotSource> found;  // the last file of each key at its recorded version
    QHash<QString, QString> nowAt;    // the version of the last file of each key
    for (const QString &folder : folders) {
        const QFileInfoList files = QDir(folder).entryInfoList({u"*.bot.json"_s}, QDir::Files | QDir::Readable, QDir::Name);
        for (const QFileInfo &info : files) {
            if (info.size() > kMaxBotSourceBytes || !readableInside(info, folder))
                continue;
            QFile in(info.filePath());
            if (!in.open(QIODevice::ReadOnly))
                continue;
            const QByteArray bytes = in.readAll();
            if (!QByteArrayView(bytes).isValidUtf8()) // it never loaded as a bot: not what ran
                continue;
            JsonIndex json(bytes);
            const QString key = QString::fromStdString(
                json.stringAt({std::string("bot"), std::string("key")}).value_or(std::string()));
            const auto want = wanted.constFind(key);
            if (key.isEmpty() || want == wanted.cend())
                continue;
            const QString version = fileVersion(info);
            nowAt.insert(key, version);
            if (version == *want)
                found.insert(key, BotSource{key, version, info.fileName(), bytes});
        }
    }
    FoundBotSources out;
    for (const BotVersion &b : bots) {
        if (b.updatedAt.isEmpty())
            out.notCarried.append(u"%1: its version was not recorded with the run"_s.arg(b.key));
        else if (found.contains(b.key))
            out.sources.append(found.value(b.key));
        else if (nowAt.contains(b.key))
            out.notCarried.append(u"%1: its file changed since the run (updated_at %2, the run had %3)"_s.arg(
                b.key, nowAt.value(b.key), b.updatedAt));
        else
            out.notCarried.append(u"%1: no bot file of that key was found"_s.arg(b.key));
    }
    return out;
}

std::optional<BotSource> readBotSource(const QString &path, const BotVersion &bot)
{
    const QFileInfo info(path);
    if (bot.updatedAt.isEmpty() || !info.isFile() || info.size() > kMaxBotSourceBytes || fileVersion(info) != bot.updatedAt)
        return std::nullopt;
    QFile in(path);
    if (!in.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QByteArray bytes = in.read(kMaxBotSourceBytes + 1);
    if (bytes.size() > kMaxBotSourceBytes || !QByteArrayView(bytes).isValidUtf8())
        return std::nullopt;
    // Still that version once read: a file rewritten meanwhile is not what ran.
    if (fileVersion(QFileInfo(path)) != bot.updatedAt)
        return std::nullopt;
    JsonIndex json(bytes);
    if (json.stringAt({std::string("bot"), std::string("key")}).value_or(std::string()) != bot.key.toStdString())
        return std::nullopt;
    return BotSource{bot.key, bot.updatedAt, info.fileName(), bytes};
}

FoundBotSources runBotSources(const RunRecord &run, const QList<BotSource> &kept, const QStringList &folders)
{
    const QList<BotVersion> versions = runBotVersions(run);
    QHash<QString, BotSource> chosen; // key -> its definition
    QSet<qsizetype> used;             // the kept ones chosen
    QList<BotVersion> notKept;
    for (const BotVersion &bot : versions) {
        const auto it = std::find_if(kept.cbegin(), kept.cend(), [&](const BotSource &s) {
            return s.key == bot.key && (bot.updatedAt.isEmpty() || s.updatedAt == bot.updatedAt);
        });
        if (it == kept.cend()) {
            notKept.append(bot);
            continue;
        }
        used.insert(it - kept.cbegin());
        chosen.insert(bot.key, *it);
    }
    FoundBotSources out;
    if (!notKept.isEmpty() && !folders.isEmpty()) {
        const FoundBotSources found = findBotSources(notKept, folders);
        for (const BotSource &source : found.sources)
            chosen.insert(source.key, source);
        out.notCarried = found.notCarried;
    } else {
        for (const BotVersion &bot : std::as_const(notKept))
            out.notCarried.append(u"%1: its definition was not kept with the run"_s.arg(bot.key));
    }
    for (const BotVersion &bot : versions)
        if (const auto it = chosen.constFind(bot.key); it != chosen.cend())
            out.sources.append(*it);
    for (qsizetype i = 0; i < kept.size(); ++i)
        if (!used.contains(i) && !chosen.contains(kept.at(i).key))
            out.sources.append(kept.at(i));
    return out;
}

Json botSourcesJson(const QList<BotSource> &sources)
{
    Json out = Json::array();
    for (const BotSource &s : sources)
        out.push_back(s.toJson());
    return out;
}

std::optional<QList<BotSource>> botSourcesFromJson(const Json &value, QString *error)
{
    QList<BotSource> sources;
    if (value.is_null())
        return sources;
    if (!value.is_array()) {
        if (error)
            *error = u"bots: must be an array of bot definitions"_s;
        return std::nullopt;
    }
    for (size_t i = 0; i < value.size(); ++i) {
        QString why;
        auto source = BotSource::fromJson(value[i], &why);
        if (!source) {
            if (error)
                *error = u"bots[%1].%2"_s.arg(i).arg(why);
            return std::nullopt;
        }
        sources.append(std::move(*source));
    }
    return sources;
}

bool writeBotSources(const QList<BotSource> &sources, const QString &folder, QString *error, bool keepExisting,
                     QStringList *skipped)
{
    const auto fail = [&](const QString &why) {
        if (error)
            *error = why;
        return false;
    };
    if (!QDir().mkpath(folder))
        return fail(u"%1: cannot make the folder"_s.arg(folder));
    QSet<QString> used;
    for (const BotSource &source : sources) {
        QString name = fileNameFor(source.key);
        for (int n = 2; used.contains(name); ++n)
            name = fileNameFor(source.key + u'-' + QString::number(n));
        used.insert(name);
        const QString path = QDir(folder).filePath(name);
        if (keepExisting && QFileInfo::exists(path)) {
            QFile existing(path);
            if (!existing.open(QIODevice::ReadOnly) || existing.readAll() != source.content) {
                if (skipped)
                    skipped->append(path);
                continue;
            }
        }
        QSaveFile out(path);
        if (!out.open(QIODevice::WriteOnly) || out.write(source.content) != source.content.size() || !out.commit())
            return fail(u"%1: %2"_s.arg(path, out.errorString()));
        // The catalog's updated_at of this bot is the file's time: set it to the version.
        QFile written(path);
        const QDateTime at = QDateTime::fromString(source.updatedAt, Qt::ISODateWithMs);
        if (!written.open(QIODevice::ReadWrite) || !written.setFileTime(at, QFileDevice::FileModificationTime))
            return fail(u"%1: cannot set its time to %2: %3"_s.arg(path, source.updatedAt, written.errorString()));
    }
    return true;
}

} // namespace invoke::history
