#include "app/server/routes/remotepaths.h"

#include "core/wire/events.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QRegularExpression>
#include <QtCore/QStandardPaths>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace invoke::server {

namespace {

const QString kFolderLabel = u"[server folder]"_s;

// A character that may be part of a path's name: a folder found right after one is
// the tail of some other path ("/var/tmp" is not below "/tmp").
bool continuesName(QChar c)
{
    return c.isLetterOrNumber() || c == u'.' || c == u'_' || c == u'-' || c == u'~' || c == u'/';
}

// An absolute path that no known folder covered: a slash at the start of a word (not
// inside a URL such as https://host/v1, not in "a/b" or "1/2") and what follows up to
// a space, a quote or a bracket. Names with spaces in them are cut at the space: what
// remains of them is a relative tail.
const QRegularExpression &absolutePath()
{
    static const QRegularExpression re(uR"((?<![\p{L}\p{N}_.~:/\\-])(?:file://)?/[^\s"'`<>|;,()\[\]{}]+)"_s);
    return re;
}

QString lastPart(const QString &path)
{
    const QStringList parts = path.split(u'/', Qt::SkipEmptyParts);
    return parts.isEmpty() || parts.last() == u"file:"_s ? kFolderLabel : parts.last();
}

} // namespace

RemotePaths::RemotePaths(const QStringList &folders, const QStringList &files)
{
    for (const QString &folder : folders)
        addFolder(folder);
    for (const QString &file : files)
        if (QDir::isAbsolutePath(file)) // a PostgreSQL URL names no folder here
            addFolder(QFileInfo(file).absolutePath());
    for (const auto location : {QStandardPaths::AppDataLocation, QStandardPaths::AppLocalDataLocation,
                                QStandardPaths::GenericDataLocation, QStandardPaths::CacheLocation,
                                QStandardPaths::GenericCacheLocation, QStandardPaths::ConfigLocation,
                                QStandardPaths::GenericConfigLocation,
                                QStandardPaths::TempLocation, QStandardPaths::HomeLocation})
        addFolder(QStandardPaths::writableLocation(location));
    addFolder(QDir::tempPath());
    addFolder(QDir::currentPath());
    addFolder(QCoreApplication::applicationDirPath());
    // Longest first: a dataset folder inside the data folder is named from the dataset folder.
    std::sort(m_folders.begin(), m_folders.end(),
              [](const QString &a, const QString &b) { return a.size() > b.size(); });
    m_folders.removeDuplicates();
    for (const QString &folder : std::as_const(m_folders)) {
        m_folderBytes.append(folder.toUtf8());
        for (const QChar c : folder)
            if (c == u'"' || c == u'\\' || c.unicode() < 0x20)
                m_folderNeedsEscape = true;
    }
}

void RemotePaths::addFolder(const QString &folder)
{
    if (folder.isEmpty() || folder.startsWith(u':')) // a Qt resource is inside the program
        return;
    for (QString path : {QDir::cleanPath(QFileInfo(folder).absoluteFilePath()), QFileInfo(folder).canonicalFilePath()}) {
        if (path.size() > 1 && !m_folders.contains(path)) // never "/" itself
            m_folders.append(path);
    }
}

QString RemotePaths::scrubFolders(const QString &text) const
{
    return text.contains(u'/') ? takeOffFolders(text) : text;
}

QString RemotePaths::scrub(const QString &text) const
{
    if (!text.contains(u'/'))
        return text;
    const QString out = takeOffFolders(text);
    // Whatever absolute path is left (a folder the server was not told of) keeps its last part.
    QString result;
    qsizetype last = 0;
    auto it = absolutePath().globalMatch(out);
    while (it.hasNext()) {
        const QRegularExpressionMatch match = it.next();
        result += QStringView(out).sliced(last, match.capturedStart() - last);
        result += lastPart(match.captured());
        last = match.capturedEnd();
    }
    result += QStringView(out).sliced(last);
    return result;
}

QString RemotePaths::takeOffFolders(const QString &text) const
{
    QString out = text;
    for (const QString &folder : m_folders) {
        qsizetype from = 0;
        while ((from = out.indexOf(folder, from)) >= 0) {
            qsizetype start = from;
            const qsizetype end = from + folder.size();
            if (start >= 7 && QStringView(out).sliced(start - 7, 7) == u"file://"_s)
                start -= 7;
            const bool startsWord = start == 0 || !continuesName(out.at(start - 1));
            if (!startsWord) {
                from = end;
                continue;
            }
            if (end < out.size() && out.at(end) == u'/') { // a path below the folder: its relative name
                out.remove(start, end + 1 - start);
                from = start;
            } else if (end == out.size() || !continuesName(out.at(end))) { // the folder itself
                out.replace(start, end - start, kFolderLabel);
                from = start + kFolderLabel.size();
            } else { // "/tmpfiles" is not below "/tmp"
                from = end;
            }
        }
    }
    return out;
}

bool RemotePaths::mayNameAFolder(const QByteArray &raw) const
{
    // A JSON string holds its text as it is, but for the escapes: with none that could
    // stand for a folder's characters ("\/", "\uXXXX", or one its name needs), a decoded
    // string holds a folder only if the bytes do.
    if (m_folderNeedsEscape || raw.contains("\\/") || raw.contains("\\u"))
        return true;
    return std::any_of(m_folderBytes.begin(), m_folderBytes.end(),
                       [&](const QByteArray &folder) { return raw.contains(folder); });
}

namespace {

// Every string in `value`, object keys included, through `scrub`.
void scrubStrings(Json &value, const RemotePaths &paths)
{
    if (value.is_string()) {
        const QString text = toQString(value.get<std::string>());
        const QString told = paths.scrubFolders(text);
        if (told != text)
            value = toStd(told);
    } else if (value.is_array()) {
        for (Json &item : value)
            scrubStrings(item, paths);
    } else if (value.is_object()) {
        Json rebuilt = Json::object();
        for (auto &[key, item] : value.items()) {
            scrubStrings(item, paths);
            std::string name = toStd(paths.scrubFolders(toQString(key)));
            while (rebuilt.contains(name)) // two paths that read the same once scrubbed
                name += "'";
            rebuilt[name] = std::move(item);
        }
        value = std::move(rebuilt);
    }
}

// Where an event of `kind` keeps its error text, or null.
Json *errorHolder(Json &payload, EventKind kind)
{
    if (kind == EventKind::InvocationFinished)
        return &payload;
    if (kind == EventKind::StepFinished && payload.contains("result") && payload["result"].is_object())
        return &payload["result"];
    return nullptr;
}

} // namespace

std::optional<Event> RemotePaths::scrubbed(const Event &event) const
{
    const EventKind kind = wire::kindOfType(event.type);
    const bool mayHoldError = (kind == EventKind::StepFinished || kind == EventKind::InvocationFinished)
                              && (event.raw.contains('/') || event.raw.contains('\\'));
    if (!mayHoldError && !mayNameAFolder(event.raw))
        return std::nullopt; // most text chunks are never parsed here
    Json parsed = event.json();
    if (!parsed.is_object() || !parsed.contains("payload"))
        return std::nullopt;
    Json &payload = parsed["payload"];
    std::optional<QString> error; // the error through scrub(), which cuts any absolute path
    if (Json *holder = errorHolder(payload, kind); holder && holder->contains("error") && (*holder)["error"].is_string())
        error = scrub(toQString((*holder)["error"].get<std::string>()));
    scrubStrings(payload, *this);
    if (error)
        (*errorHolder(payload, kind))["error"] = toStd(*error);
    if (parsed.contains("metadata") && parsed["metadata"].is_object() && parsed["metadata"].contains("replay_miss"))
        scrubStrings(parsed["metadata"]["replay_miss"], *this);
    Event told = Event::fromJson(parsed);
    if (told.raw == event.raw)
        return std::nullopt;
    return told;
}

} // namespace invoke::server
