#include "core/history/store/storedbots.h"

#include <QtCore/QCryptographicHash>
#include <QtSql/QSqlDatabase>
#include <QtSql/QSqlError>
#include <QtSql/QSqlQuery>

using namespace Qt::StringLiterals;

namespace invoke::history::storedbots {

namespace {

bool fail(QString *error, const QString &what, const QSqlQuery &q)
{
    if (error)
        *error = u"%1: %2"_s.arg(what, q.lastError().text());
    return false;
}

bool tie(QSqlDatabase &db, qint64 run, qint64 bot, QString *error)
{
    QSqlQuery q(db);
    q.prepare(u"INSERT OR IGNORE INTO run_bots(run_id, bot_id) VALUES(?, ?)"_s);
    q.addBindValue(run);
    q.addBindValue(bot);
    return q.exec() || fail(error, u"cannot record the run's bots"_s, q);
}

} // namespace

bool add(QSqlDatabase &db, qint64 run, const QList<BotSource> &bots, QString *error)
{
    QSqlQuery q(db);
    for (const BotSource &bot : bots) {
        const QByteArray digest = QCryptographicHash::hash(bot.content, QCryptographicHash::Sha256);
        q.prepare(u"INSERT OR IGNORE INTO bot_sources(bot_key, updated_at, file_name, digest, content) "
                  "VALUES(?, ?, ?, ?, ?)"_s);
        q.addBindValue(bot.key);
        q.addBindValue(bot.updatedAt);
        q.addBindValue(bot.fileName.isNull() ? u""_s : bot.fileName);
        q.addBindValue(digest);
        q.addBindValue(qCompress(bot.content));
        if (!q.exec())
            return fail(error, u"cannot record the run's bots"_s, q);
        q.prepare(u"SELECT id FROM bot_sources WHERE bot_key = ? AND updated_at = ? AND digest = ?"_s);
        q.addBindValue(bot.key);
        q.addBindValue(bot.updatedAt);
        q.addBindValue(digest);
        if (!q.exec() || !q.next())
            return fail(error, u"cannot record the run's bots"_s, q);
        if (!tie(db, run, q.value(0).toLongLong(), error))
            return false;
    }
    return true;
}

std::optional<QList<BotVersion>> addKept(QSqlDatabase &db, qint64 run, const QList<BotVersion> &wanted,
                                         QString *error)
{
    QList<BotVersion> missing;
    QSqlQuery q(db);
    for (const BotVersion &bot : wanted) {
        if (bot.updatedAt.isEmpty()) {
            missing.append(bot);
            continue;
        }
        // The latest kept content of that version (one, unless two machines' files differ).
        q.prepare(u"SELECT id FROM bot_sources WHERE bot_key = ? AND updated_at = ? ORDER BY id DESC LIMIT 1"_s);
        q.addBindValue(bot.key);
        q.addBindValue(bot.updatedAt);
        if (!q.exec()) {
            fail(error, u"cannot be read"_s, q);
            return std::nullopt;
        }
        if (!q.next()) {
            missing.append(bot);
            continue;
        }
        if (!tie(db, run, q.value(0).toLongLong(), error))
            return std::nullopt;
    }
    return missing;
}

std::optional<QList<BotSource>> ofRun(const QSqlDatabase &db, qint64 run, QString *error)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(u"SELECT b.bot_key, b.updated_at, b.file_name, b.content FROM run_bots r "
              "JOIN bot_sources b ON b.id = r.bot_id WHERE r.run_id = ? ORDER BY r.rowid"_s);
    q.addBindValue(run);
    if (!q.exec()) {
        fail(error, u"cannot read the run's bots"_s, q);
        return std::nullopt;
    }
    QList<BotSource> out;
    while (q.next()) {
        BotSource bot{q.value(0).toString(), q.value(1).toString(), q.value(2).toString(),
                      qUncompress(q.value(3).toByteArray())};
        if (bot.content.isEmpty()) { // damaged: left out rather than handed on as a bot file
            qWarning("the run history: the stored definition of bot %s (%s) does not decompress",
                     qPrintable(bot.key), qPrintable(bot.updatedAt));
            continue;
        }
        out.append(std::move(bot));
    }
    return out;
}

bool removeRun(QSqlDatabase &db, qint64 run, QString *error)
{
    QSqlQuery q(db);
    q.prepare(u"SELECT bot_id FROM run_bots WHERE run_id = ?"_s);
    q.addBindValue(run);
    if (!q.exec())
        return fail(error, u"cannot be read"_s, q);
    QList<qint64> bots;
    while (q.next())
        bots << q.value(0).toLongLong();
    if (bots.isEmpty())
        return true;
    q.prepare(u"DELETE FROM run_bots WHERE run_id = ?"_s);
    q.addBindValue(run);
    if (!q.exec())
        return fail(error, u"cannot be written"_s, q);
    for (const qint64 bot : std::as_const(bots)) {
        q.prepare(u"DELETE FROM bot_sources WHERE id = ? AND NOT EXISTS (SELECT 1 FROM run_bots WHERE bot_id = ?)"_s);
        q.addBindValue(bot);
        q.addBindValue(bot);
        if (!q.exec())
            return fail(error, u"cannot be written"_s, q);
    }
    return true;
}

} // namespace invoke::history::storedbots
