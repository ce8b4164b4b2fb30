#pragma once
// The run history file's tables, their migration from older versions, and the way each
// connection uses the file (docs/runs.md, "The history file"). HistoryStore::open calls it.
#include <QtCore/QString>

class QSqlDatabase;

namespace invoke::history {

// Version 2 added the bot definitions of runs (bot_sources, run_bots).
inline constexpr int kHistorySchemaVersion = 2;

// Readies an open connection to `path`: WAL with synchronous=NORMAL and no checkpoint when
// the connection closes; then creates the tables of a new file or migrates a file of an
// older version in one transaction (an existing file of this version is not written to).
// Refuses a file of a newer version or one that is not a run history, with `error`.
bool prepareHistoryDatabase(QSqlDatabase &db, const QString &path, QString *error);

} // namespace invoke::history
