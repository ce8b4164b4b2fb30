#pragma once
// The bot definitions a run ran, kept in the run history (schema 2, docs/runs.md): each
// content once in bot_sources (by key, updated_at and its bytes' SHA-256, zlib-compressed),
// tied to the runs that ran it by run_bots; a content no run refers to any more goes with
// the last of them. Used by HistoryStore on its connection, inside its transactions.
#include "core/history/botsources.h"

class QSqlDatabase;

namespace invoke::history::storedbots {

// Ties `bots` to run row `run`, adding the contents not kept yet. False with `error`.
bool add(QSqlDatabase &db, qint64 run, const QList<BotSource> &bots, QString *error);
// Ties to `run` the bots of `wanted` whose version is kept already (from an earlier run);
// returns the others, or nullopt with `error`. A version not recorded (empty) is never kept.
std::optional<QList<BotVersion>> addKept(QSqlDatabase &db, qint64 run, const QList<BotVersion> &wanted,
                                         QString *error);
// The bots tied to run row `run`, in the order they were tied.
std::optional<QList<BotSource>> ofRun(const QSqlDatabase &db, qint64 run, QString *error);
// Unties run row `run` and removes the contents no run refers to any more.
bool removeRun(QSqlDatabase &db, qint64 run, QString *error);

} // namespace invoke::history::storedbots
