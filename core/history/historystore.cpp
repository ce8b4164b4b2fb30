#include "core/history/historystore.h"

#include "core/history/eventchunks.h"
#include "core/history/store/historyschema.h"
#include "core/history/store/storedbots.h"

#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QStandardPaths>
#include <QtCore/QUuid>
#include <QtSql/QSqlDatabase>
#include <QtSql/QSqlError>
#include <QtSql/QSqlQuery>

using namespace Qt::StringLiterals;

namespace invoke::history {

struct HistoryStore::Db
{
    QString name = u"history-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces);
    ~Db()
    {
        {
            QSqlDatabase db = QSqlDatabase::database(name, false);
            if (db.isOpen())
                db.close();
        }
        QSqlDatabase::removeDatabase(name);
    }
    QSqlDatabase db() const { return QSqlDatabase::database(name, false); }
};

namespace {

bool fail(QString *error, const QString &path, const QString &what, const QSqlError &sql)
{
    if (error)
        *error = u"the run history %1: %2: %3"_s.arg(path, what, sql.text());
    return false;
}

RunSummary readSummary(const QSqlQuery &q)
{
    // Columns as kSummaryColumns lists them.
    RunSummary s;
    s.invocationId = q.value(0).toString();
    s.botKey = q.value(1).toString();
    s.botName = q.value(2).toString();
    s.startedAt = QDateTime::fromMSecsSinceEpoch(q.value(3).toLongLong(), Qt::UTC);
    s.mode = q.value(4).toString();
    s.profile = q.value(5).toString();
    s.botUpdatedAt = q.value(6).toString();
    s.outcome = outcomeFromName(q.value(7).toString()).value_or(Outcome::Unfinished);
    s.durationMs = q.value(8).toLongLong();
    s.tokens = q.value(9).toLongLong();
    s.eventCount = q.value(10).toLongLong();
    s.pinned = q.value(11).toBool();
    s.error = q.value(12).toString();
    s.resultText = q.value(13).toString();
    return s;
}

// A null QString binds as SQL NULL; the text columns hold '' instead.
QString text(const QString &value)
{
    return value.isNull() ? QString(u""_s) : value;
}

const QString kSummaryColumns = u"invocation_id, bot_key, bot_name, started_at, mode, profile, bot_updated_at, "
                                "outcome, duration_ms, tokens, event_count, pinned, error, result_text"_s;

} // namespace

HistoryStore::HistoryStore(QString filePath) : m_path(std::move(filePath)) {}

HistoryStore::~HistoryStore() = default;

QString defaultHistoryFile()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/history.sqlite"_s;
}

bool HistoryStore::open(QString *error)
{
    m_db = std::make_unique<Db>();
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_db->name);
    db.setDatabaseName(m_path);
    db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=5000"_s);
    if (!db.open())
        return fail(error, m_path, u"cannot be opened"_s, db.lastError());
    return prepareHistoryDatabase(db, m_path, error);
}

qint64 HistoryStore::begin(const RunSummary &s, const InvokeRequest &request, QString *error)
{
    QSqlQuery q(m_db->db());
    q.prepare(u"INSERT INTO runs(invocation_id, bot_key, bot_name, started_at, mode, profile, bot_updated_at, "
              "outcome, request) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)"_s);
    q.addBindValue(text(s.invocationId));
    q.addBindValue(text(s.botKey));
    q.addBindValue(text(s.botName));
    q.addBindValue(s.startedAt.toMSecsSinceEpoch());
    q.addBindValue(text(s.mode));
    q.addBindValue(text(s.profile));
    q.addBindValue(text(s.botUpdatedAt));
    q.addBindValue(QString(outcomeName(s.outcome)));
    q.addBindValue(QString::fromUtf8(dumpJson(request.toJson())));
    if (!q.exec()) {
        fail(error, m_path, u"cannot record a run"_s, q.lastError());
        return 0;
    }
    return q.lastInsertId().toLongLong();
}

bool HistoryStore::setPlan(qint64 run, const Json &plan, const QString &botUpdatedAt, QString *error)
{
    QSqlQuery q(m_db->db());
    q.prepare(u"UPDATE runs SET bot_plan = ?, bot_updated_at = ? WHERE id = ?"_s);
    q.addBindValue(QString::fromUtf8(dumpJson(plan)));
    q.addBindValue(text(botUpdatedAt));
    q.addBindValue(run);
    return q.exec() || fail(error, m_path, u"cannot record the bot's plan"_s, q.lastError());
}

bool HistoryStore::setInvocationId(qint64 run, const QString &invocationId, QString *error)
{
    QSqlQuery q(m_db->db());
    q.prepare(u"UPDATE runs SET invocation_id = ? WHERE id = ?"_s);
    q.addBindValue(text(invocationId));
    q.addBindValue(run);
    return q.exec() || fail(error, m_path, u"cannot name a run"_s, q.lastError());
}

bool HistoryStore::append(qint64 run, const QList<TimedEvent> &events, QString *error)
{
    if (events.isEmpty())
        return true;
    const QByteArray chunk = packEvents(events);
    QSqlDatabase db = m_db->db();
    db.transaction();
    QSqlQuery q(db);
    q.prepare(u"INSERT INTO run_events(run_id, chunk, data) VALUES(?, "
              "(SELECT COALESCE(MAX(chunk), -1) + 1 FROM run_events WHERE run_id = ?), ?)"_s);
    q.addBindValue(run);
    q.addBindValue(run);
    q.addBindValue(chunk);
    bool ok = q.exec();
    if (ok) {
        q.prepare(u"UPDATE runs SET event_count = event_count + ?, bytes = bytes + ? WHERE id = ?"_s);
        q.addBindValue(events.size());
        q.addBindValue(chunk.size());
        q.addBindValue(run);
        ok = q.exec();
    }
    if (!ok) {
        db.rollback();
        return fail(error, m_path, u"cannot record events"_s, q.lastError());
    }
    return db.commit() || fail(error, m_path, u"cannot record events"_s, db.lastError());
}

bool HistoryStore::finish(qint64 run, const RunSummary &s, QString *error)
{
    QSqlQuery q(m_db->db());
    q.prepare(u"UPDATE runs SET invocation_id = ?, bot_name = ?, outcome = ?, duration_ms = ?, tokens = ?, "
              "error = ?, result_text = ? WHERE id = ?"_s);
    q.addBindValue(text(s.invocationId));
    q.addBindValue(text(s.botName));
    q.addBindValue(QString(outcomeName(s.outcome)));
    q.addBindValue(s.durationMs);
    q.addBindValue(s.tokens);
    q.addBindValue(text(s.error));
    q.addBindValue(text(s.resultText));
    q.addBindValue(run);
    return q.exec() || fail(error, m_path, u"cannot record the run's end"_s, q.lastError());
}

QList<RunSummary> HistoryStore::list(const HistoryQuery &query, QString *error) const
{
    QStringList where;
    QVariantList values;
    if (!query.botKey.isEmpty()) {
        where << u"bot_key = ?"_s;
        values << query.botKey;
    }
    if (query.outcome) {
        where << u"outcome = ?"_s;
        values << QString(outcomeName(*query.outcome));
    }
    if (query.from.isValid()) {
        where << u"started_at >= ?"_s;
        values << query.from.toMSecsSinceEpoch();
    }
    if (query.to.isValid()) {
        where << u"started_at < ?"_s;
        values << query.to.toMSecsSinceEpoch();
    }
    if (!query.text.isEmpty()) {
        // instr(lower(..)) rather than LIKE: the user's % and _ are text, not wildcards.
        where << u"(instr(lower(result_text), ?) > 0 OR instr(lower(request), ?) > 0 "
                 "OR instr(lower(error), ?) > 0 OR instr(lower(bot_name), ?) > 0)"_s;
        const QString needle = query.text.toLower();
        values << needle << needle << needle << needle;
    }
    QString sql = u"SELECT %1 FROM runs"_s.arg(kSummaryColumns);
    if (!where.isEmpty())
        sql += u" WHERE "_s + where.join(u" AND "_s);
    sql += u" ORDER BY started_at DESC, id DESC LIMIT %1"_s.arg(std::max(1, query.limit));
    QSqlQuery q(m_db->db());
    q.setForwardOnly(true);
    q.prepare(sql);
    for (const QVariant &v : std::as_const(values))
        q.addBindValue(v);
    QList<RunSummary> out;
    if (!q.exec()) {
        fail(error, m_path, u"cannot be read"_s, q.lastError());
        return out;
    }
    while (q.next())
        out.append(readSummary(q));
    return out;
}

std::optional<QString> HistoryStore::resolve(const QString &prefix, QString *error) const
{
    QSqlQuery q(m_db->db());
    q.prepare(u"SELECT invocation_id FROM runs WHERE invocation_id <> '' AND substr(invocation_id, 1, ?) = ? LIMIT 2"_s);
    q.addBindValue(prefix.size());
    q.addBindValue(prefix);
    if (!q.exec()) {
        fail(error, m_path, u"cannot be read"_s, q.lastError());
        return std::nullopt;
    }
    QStringList found;
    while (q.next())
        found << q.value(0).toString();
    if (found.size() == 1)
        return found.first();
    if (error)
        *error = found.isEmpty() ? u"no run %1 in the history"_s.arg(prefix)
                                 : u"%1 names more than one run: give more of its id"_s.arg(prefix);
    return std::nullopt;
}

std::optional<RunRecord> HistoryStore::load(const QString &idOrPrefix, QString *error) const
{
    const auto id = resolve(idOrPrefix, error);
    if (!id)
        return std::nullopt;
    QSqlQuery q(m_db->db());
    q.prepare(u"SELECT %1, id, request, bot_plan FROM runs WHERE invocation_id = ?"_s.arg(kSummaryColumns));
    q.addBindValue(*id);
    if (!q.exec() || !q.next()) {
        fail(error, m_path, u"cannot be read"_s, q.lastError());
        return std::nullopt;
    }
    RunRecord record;
    record.summary = readSummary(q);
    const qint64 row = q.value(14).toLongLong();
    const Json request = parseJson(q.value(15).toString().toUtf8(), nullptr, kJsonMaxWireDepth);
    if (auto parsed = InvokeRequest::fromJson(request))
        record.request = *parsed;
    const QString plan = q.value(16).toString();
    record.botPlan = plan.isEmpty() ? Json() : parseJson(plan.toUtf8(), nullptr, kJsonMaxWireDepth);
    if (record.botPlan.is_discarded())
        record.botPlan = Json();
    q.prepare(u"SELECT data FROM run_events WHERE run_id = ? ORDER BY chunk"_s);
    q.addBindValue(row);
    if (!q.exec()) {
        fail(error, m_path, u"cannot read the run's events"_s, q.lastError());
        return std::nullopt;
    }
    while (q.next()) {
        QString why;
        if (!unpackEvents(q.value(0).toByteArray(), record.events, &why)) {
            if (error)
                *error = u"the run history %1: run %2: %3"_s.arg(m_path, *id, why);
            return std::nullopt;
        }
    }
    return record;
}

bool HistoryStore::setPinned(const QString &invocationId, bool pinned, QString *error)
{
    QSqlQuery q(m_db->db());
    q.prepare(u"UPDATE runs SET pinned = ? WHERE invocation_id = ?"_s);
    q.addBindValue(pinned ? 1 : 0);
    q.addBindValue(invocationId);
    return q.exec() || fail(error, m_path, u"cannot be written"_s, q.lastError());
}

bool HistoryStore::remove(const QString &invocationId, QString *error)
{
    QSqlQuery q(m_db->db());
    q.prepare(u"SELECT id FROM runs WHERE invocation_id = ?"_s);
    q.addBindValue(invocationId);
    if (!q.exec())
        return fail(error, m_path, u"cannot be read"_s, q.lastError());
    QList<qint64> rows;
    while (q.next())
        rows << q.value(0).toLongLong();
    if (rows.isEmpty()) {
        if (error)
            *error = u"no run %1 in the history"_s.arg(invocationId);
        return false;
    }
    for (qint64 row : std::as_const(rows))
        if (!removeRow(row, error))
            return false;
    return true;
}

bool HistoryStore::insert(const RunRecord &record, QString *error, const QList<BotSource> &bots)
{
    QString why;
    if (!record.summary.invocationId.isEmpty() && resolve(record.summary.invocationId, &why)) {
        if (error)
            *error = u"run %1 is already in the history"_s.arg(record.summary.invocationId);
        return false;
    }
    const qint64 run = begin(record.summary, record.request, error);
    if (run == 0)
        return false;
    if (!record.botPlan.is_null() && !setPlan(run, record.botPlan, record.summary.botUpdatedAt, error))
        return false;
    if (!bots.isEmpty() && !addBots(run, bots, error))
        return false;
    constexpr qsizetype kChunk = 4096;
    for (qsizetype i = 0; i < record.events.size(); i += kChunk)
        if (!append(run, record.events.mid(i, kChunk), error))
            return false;
    return finish(run, record.summary, error);
}

bool HistoryStore::addBots(qint64 run, const QList<BotSource> &bots, QString *error)
{
    QSqlDatabase db = m_db->db();
    QString why;
    db.transaction();
    if (!storedbots::add(db, run, bots, &why)) {
        db.rollback();
        if (error)
            *error = u"the run history %1: %2"_s.arg(m_path, why);
        return false;
    }
    return db.commit() || fail(error, m_path, u"cannot record the run's bots"_s, db.lastError());
}

std::optional<QList<BotVersion>> HistoryStore::addKeptBots(qint64 run, const QList<BotVersion> &bots, QString *error)
{
    QSqlDatabase db = m_db->db();
    QString why;
    db.transaction();
    auto missing = storedbots::addKept(db, run, bots, &why);
    if (!missing) {
        db.rollback();
        if (error)
            *error = u"the run history %1: %2"_s.arg(m_path, why);
        return std::nullopt;
    }
    if (!db.commit()) {
        fail(error, m_path, u"cannot record the run's bots"_s, db.lastError());
        return std::nullopt;
    }
    return missing;
}

std::optional<QList<BotSource>> HistoryStore::bots(const QString &invocationId, QString *error) const
{
    QSqlQuery q(m_db->db());
    q.prepare(u"SELECT id FROM runs WHERE invocation_id = ? ORDER BY id LIMIT 1"_s);
    q.addBindValue(invocationId);
    if (!q.exec()) {
        fail(error, m_path, u"cannot be read"_s, q.lastError());
        return std::nullopt;
    }
    if (!q.next()) {
        if (error)
            *error = u"no run %1 in the history"_s.arg(invocationId);
        return std::nullopt;
    }
    QString why;
    auto out = storedbots::ofRun(m_db->db(), q.value(0).toLongLong(), &why);
    if (!out && error)
        *error = u"the run history %1: %2"_s.arg(m_path, why);
    return out;
}

qint64 HistoryStore::storedBytes(QString *error) const
{
    QSqlQuery q(m_db->db());
    if (!q.exec(u"SELECT COALESCE(SUM(bytes), 0) FROM runs"_s) || !q.next()) {
        fail(error, m_path, u"cannot be read"_s, q.lastError());
        return -1;
    }
    return q.value(0).toLongLong();
}

int HistoryStore::evict(qint64 maxBytes, QString *error)
{
    qint64 total = storedBytes(error);
    if (total < 0)
        return 0;
    // A run still recording is never evicted; one left unfinished by a crash a day ago is.
    const qint64 dayAgo = QDateTime::currentMSecsSinceEpoch() - 24LL * 3600 * 1000;
    int removed = 0;
    while (total > maxBytes) {
        QSqlQuery q(m_db->db());
        q.prepare(u"SELECT id, bytes FROM runs WHERE pinned = 0 AND (outcome <> 'unfinished' OR started_at < ?) "
                  "ORDER BY started_at, id LIMIT 64"_s);
        q.addBindValue(dayAgo);
        if (!q.exec()) {
            fail(error, m_path, u"cannot be read"_s, q.lastError());
            return removed;
        }
        QList<std::pair<qint64, qint64>> oldest;
        while (q.next())
            oldest.append({q.value(0).toLongLong(), q.value(1).toLongLong()});
        if (oldest.isEmpty())
            break; // only pinned or running runs left
        for (const auto &[row, bytes] : std::as_const(oldest)) {
            if (total <= maxBytes)
                break;
            if (!removeRow(row, error))
                return removed;
            total -= bytes;
            ++removed;
        }
    }
    return removed;
}

bool HistoryStore::removeRow(qint64 row, QString *error)
{
    QSqlDatabase db = m_db->db();
    db.transaction();
    QSqlQuery q(db);
    q.prepare(u"DELETE FROM run_events WHERE run_id = ?"_s);
    q.addBindValue(row);
    bool ok = q.exec();
    QString why;
    if (ok && !storedbots::removeRun(db, row, &why)) {
        db.rollback();
        if (error)
            *error = u"the run history %1: %2"_s.arg(m_path, why);
        return false;
    }
    if (ok) {
        q.prepare(u"DELETE FROM runs WHERE id = ?"_s);
        q.addBindValue(row);
        ok = q.exec();
    }
    if (!ok) {
        db.rollback();
        return fail(error, m_path, u"cannot be written"_s, q.lastError());
    }
    return db.commit() || fail(error, m_path, u"cannot be written"_s, db.lastError());
}

} // namespace invoke::history
