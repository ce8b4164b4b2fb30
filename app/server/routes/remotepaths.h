#pragma once
// What invoke-server tells a remote client instead of its own file paths. Errors made
// for a local user name files in full ("dataset \"x\" could not be read: /home/me/.local/
// share/.../x.jsonl:2: ..."); a client of the server must never learn where the server
// keeps its files, so the error answers of the routes (app/server/invokeserver.cpp) and
// the errors of a run's events (app/server/invokestream.cpp) pass through here first.
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

    // The event with its error texts scrubbed (step_finished's result.error,
    // invocation_finished's error); nullopt when there was nothing to take out. Any other
    // kind of event is not even parsed.
    std::optional<Event> scrubbed(const Event &event) const;

private:
    void addFolder(const QString &folder);

    QStringList m_folders; // absolute, without a trailing slash, longest first
};

} // namespace invoke::server
