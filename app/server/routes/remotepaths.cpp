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

QString RemotePaths::scrub(const QString &text) const
{
    if (!text.contains(u'/'))
        return text;
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

std::optional<Event> RemotePaths::scrubbed(const Event &event) const
{
    const EventKind kind = wire::kindOfType(event.type);
    if ((kind != EventKind::StepFinished && kind != EventKind::InvocationFinished) || !event.raw.contains('/'))
        return std::nullopt; // text chunks, most of a stream, are never parsed here
    Json parsed = event.json();
    if (!parsed.is_object() || !parsed.contains("payload") || !parsed["payload"].is_object())
        return std::nullopt;
    Json &payload = parsed["payload"];
    Json *holder = kind == EventKind::StepFinished ? (payload.contains("result") && payload["result"].is_object()
                                                          ? &payload["result"] : nullptr)
                                                    : &payload;
    if (!holder || !holder->contains("error") || !(*holder)["error"].is_string())
        return std::nullopt;
    const QString error = toQString((*holder)["error"].get<std::string>());
    const QString told = scrub(error);
    if (told == error)
        return std::nullopt;
    (*holder)["error"] = toStd(told);
    return Event::fromJson(parsed);
}

} // namespace invoke::server
