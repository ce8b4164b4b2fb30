#pragma once
// The bot definitions a run file carries (docs/runs.md, "bots"): the bot file of the
// run's bot and of each sub-bot its recorded plan names, as it was when the run ran, so
// that the file re-runs on a machine that lacks them with the same replay keys (a key
// holds the bot's updated_at, which is its file's modification time: core/engine/botcatalog.cpp).
//
// A bot file is taken only when its time is still the version the run recorded, so what
// the file carries is what ran. Re-running writes them into a folder of its own, each
// with its recorded time (writeBotSources), never into the user's bots folder unless asked.
#include "core/history/runrecord.h"

namespace invoke::history {

struct BotSource
{
    QString key;
    QString updatedAt;  // ISO 8601 with ms, UTC: the version the run's replay keys hold
    QString fileName;   // the name it had ("tea.bot.json"), to say where it came from
    QByteArray content; // the bot file's bytes

    // {"key", "updated_at", "file_name", "content"}
    Json toJson() const;
    // nullopt with `error` saying which member is wrong.
    static std::optional<BotSource> fromJson(const Json &value, QString *error = nullptr);
    bool operator==(const BotSource &) const = default;
};

inline constexpr qint64 kMaxBotSourceBytes = 4 << 20; // as a bots folder reads (botcatalog.cpp)

// A bot a recorded run ran, and its version then.
struct BotVersion
{
    QString key;
    QString updatedAt; // empty: not recorded
};
// The run's bot (its summary) and every sub-bot its recorded plan names, each once, in
// plan order.
QList<BotVersion> runBotVersions(const RunRecord &run);

struct FoundBotSources
{
    QList<BotSource> sources;
    QStringList notCarried; // "KEY: why" (its file changed since the run, not found, version not recorded)
};
// Finds each bot's file in `folders`, read as the bots catalog reads them (*.bot.json,
// later folders and later names win; a link that leads outside its folder is not read),
// taking the last file of that key whose time is still the recorded version.
FoundBotSources findBotSources(const QList<BotVersion> &bots, const QStringList &folders);

// The bot file at `path` as a definition of `bot`, when it still is that bot at that
// version (its time, as the catalog reads it) and could load as a bot file (at most
// kMaxBotSourceBytes of UTF-8); nullopt otherwise. RunHistory keeps these with a run.
std::optional<BotSource> readBotSource(const QString &path, const BotVersion &bot);

// The definitions a run file of `run` carries: those kept with the run in the history
// (`kept`: the files as the run read them, or a run file's when it was imported) first,
// then, for each bot that has none kept, its file in `folders` still at the recorded
// version (findBotSources; no folders: none). In runBotVersions' order, then any other
// kept ones.
FoundBotSources runBotSources(const RunRecord &run, const QList<BotSource> &kept, const QStringList &folders);

Json botSourcesJson(const QList<BotSource> &sources);
// nullopt with `error` ("bots[1].updated_at: ...") when a member is wrong.
std::optional<QList<BotSource>> botSourcesFromJson(const Json &value, QString *error = nullptr);

// Writes each as a bot file in `folder`, its time set to its updated_at, so that a bots
// catalog reading `folder` gives each bot the version its replay keys hold. With
// `keepExisting`, a file of the same name that holds other bytes is left alone and named
// in `skipped` (the user's own bots folder); otherwise it is replaced.
bool writeBotSources(const QList<BotSource> &sources, const QString &folder, QString *error,
                     bool keepExisting = false, QStringList *skipped = nullptr);

} // namespace invoke::history
