#pragma once
// Run files (*.invokerun, docs/runs.md): one run to keep, share and re-run offline. A
// gzip-compressed JSON Lines file (zcat shows it): a header line
//   {"format": "invoke-run", "version": 1 or 2, "summary": {...}, "request": {...},
//    "bot_plan": {...}|null, "mocks": {...}|null, "cache_entries": [...],
//    "bots": [...] (version 2: the bot definitions, core/history/botsources.h)}
// then one line per event as it streamed: {"t": MS_AFTER_START, "event": {...}}.
// Written atomically; secrets are masked before a run reaches the history, and again
// with the caller's secrets when written.
#include "core/history/botsources.h"
#include "core/history/runrecord.h"

namespace invoke::history {

struct RunFile
{
    RunRecord record;
    Json mocks = nullptr;                // the mock set a manual run used
    Json cacheEntries = Json::array();   // replay-cache entries it used (docs/cache.md's shape)
    QList<BotSource> bots;               // the bot files as they were when it ran
};

// Version 2 added "bots"; a file without bot definitions is written as version 1, so a
// reader that knows only 1 still opens it.
inline constexpr int kRunFileVersion = 2;
// A run file's text may be at most this large once decompressed (a gzip bomb is refused
// long before it fills the memory).
inline constexpr qint64 kMaxRunFileBytes = 1LL << 30;

bool writeRunFile(const QString &filePath, const RunFile &run, const QStringList &secrets, QString *error);
// nullopt with `error` naming the file and what is wrong: not a run file, a newer
// version, damaged or cut short (with the line).
std::optional<RunFile> readRunFile(const QString &filePath, QString *error, qint64 maxBytes = kMaxRunFileBytes);

} // namespace invoke::history
