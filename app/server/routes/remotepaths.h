#pragma once
// What invoke-server tells a remote client instead of its own file paths. Errors made
// for a local user name files in full ("dataset \"x\" could not be read: /home/me/.local/
// share/.../x.jsonl:2: ..."); a client of the server must never learn where the server
// keeps its files, so the error answers of the routes (app/server/invokeserver.cpp) and
// the errors of a run's events (app/server/invokestream.cpp) pass through here first.
// So do the texts a run produces (a code step's stdout and stderr with its traceback, a
// step's rendered parameters, message text, the run's output): in those only the server's
// known folders are taken off, since any other absolute path there is the bot's data (an
// API path "/v1/users", a file inside the sandbox such as "/workspace/main.py").
// The server's log keeps the full message. The studio and invoke-cli on the embedded
// engine never come here.
#include "core/model/event.h"

#include <QtCore/QList>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <optional>

namespace invoke::server {

class RemotePaths
{
public:
    // `folders`: the folders the server serves (bots, datasets), whose files are named
    // relative to their folder ("broken.jsonl", "team/faq.csv"). The folders the server
    // keeps its own files in (data, cache, config, temporary, home, current and program
    // folders) are added; so are the folders of `files` (the dataset index, the replay
    // cache file; a URL that is no local path is skipped).
    explicit RemotePaths(const QStringList &folders, const QStringList &files = {});

    // `text` with each path under a known folder made relative to it, a known folder
    // itself named "[server folder]", and any other absolute path cut to its last part.
    QString scrub(const QString &text) const;
    // `text` with only the known folders taken off (as scrub() does for them); any other
    // absolute path stays.
    QString scrubFolders(const QString &text) const;

    // The event as a client may read it: its error texts (step_finished's result.error,
    // invocation_finished's error) through scrub(), every other string of its payload (and
    // of a step_finished's replay_miss), keys included, through scrubFolders(). The header
    // (type, path, seq, t_ms) and the rest of the metadata stay, so the client's fold reads
    // the same run. Strings are scrubbed decoded, never as JSON bytes. nullopt when there was
    // nothing to take out; an event whose bytes cannot hold a known folder (most text
    // chunks) is not even parsed.
    std::optional<Event> scrubbed(const Event &event) const;

private:
    void addFolder(const QString &folder);
    QString takeOffFolders(const QString &text) const;
    bool mayNameAFolder(const QByteArray &raw) const;

    QStringList m_folders; // absolute, without a trailing slash, longest first
    QList<QByteArray> m_folderBytes; // m_folders in UTF-8, as they stand in an event's JSON
    bool m_folderNeedsEscape = false; // a folder's name has a character JSON escapes
};

} // namespace invoke::server
