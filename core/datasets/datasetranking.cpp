#include "core/datasets/datasetranking.h"

#include <QtCore/QRegularExpression>
#include <QtSql/QSqlError>
#include <QtSql/QSqlQuery>

#include <algorithm>
#include <cmath>
#include <numeric>

using namespace Qt::StringLiterals;

namespace invoke::datasets {

namespace {

// FTS5's bm25 constants (sqlite's fts5_aux.c).
constexpr double K1 = 1.2;
constexpr double B = 0.75;

bool fail(const QString &why, QString *error)
{
    if (error)
        *error = why;
    return false;
}

bool sqlFail(const QSqlQuery &q, QString *error)
{
    const QSqlError e = q.lastError();
    return fail(e.databaseText().isEmpty() ? e.text() : e.databaseText(), error);
}

// A non-ASCII character of a token as unicode61 with remove_diacritics 2 keeps it: in
// lower case, and a Latin letter without its accents (an accent on another script stays).
char32_t folded(char32_t c)
{
    const char32_t lower = QChar::toLower(c);
    if (QChar::decompositionTag(lower) != QChar::Canonical)
        return lower;
    const QString parts = QString::fromUcs4(&lower, 1).normalized(QString::NormalizationForm_D);
    return !parts.isEmpty() && parts.at(0).unicode() < 0x80 ? char32_t(parts.at(0).unicode()) : lower;
}

// Hands each token of `text` to `f` (a QString it may only read), read as FTS5's unicode61
// tokenizer with remove_diacritics 2 reads it: letters, digits and private-use characters
// make tokens, a combining mark vanishes into its token, anything else separates.
template <typename F>
void forEachToken(QStringView text, QString &token, F &&f)
{
    // resize(0), not clear(): the buffer is kept for the next token and row.
    token.resize(0);
    const qsizetype n = text.size();
    for (qsizetype i = 0; i < n; ++i) {
        const char16_t c = text[i].unicode();
        if (c < 0x80) {
            if ((c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9')) {
                token.append(QChar(c));
            } else if (c >= u'A' && c <= u'Z') {
                token.append(QChar(char16_t(c + 32)));
            } else if (!token.isEmpty()) {
                f(token);
                token.resize(0);
            }
            continue;
        }
        char32_t code = c;
        if (QChar::isHighSurrogate(c) && i + 1 < n && text[i + 1].isLowSurrogate())
            code = QChar::surrogateToUcs4(c, text[++i].unicode());
        const QChar::Category category = QChar::category(code);
        if (category == QChar::Mark_NonSpacing)
            continue;
        if (QChar::isLetterOrNumber(code) || category == QChar::Other_PrivateUse) {
            const char32_t f32 = folded(code);
            if (QChar::requiresSurrogates(f32)) {
                token.append(QChar(QChar::highSurrogate(f32)));
                token.append(QChar(QChar::lowSurrogate(f32)));
            } else {
                token.append(QChar(char16_t(f32)));
            }
        } else if (!token.isEmpty()) {
            f(token);
            token.resize(0);
        }
    }
    if (!token.isEmpty())
        f(token);
}

// The term a word of the query is indexed as; empty when it is not exactly one token.
QString termOf(const QString &word)
{
    QString buffer;
    QStringList tokens;
    forEachToken(word, buffer, [&](const QString &t) { tokens.append(t); });
    return tokens.size() == 1 ? tokens.first() : QString();
}

// SQLite's varint (FTS5's records use it): 7 bits a byte, high bit set while more follow,
// the ninth byte whole.
bool readVarint(const QByteArray &bytes, qsizetype *at, quint64 *value)
{
    quint64 v = 0;
    for (int i = 0; i < 9; ++i) {
        if (*at >= bytes.size())
            return false;
        const quint8 byte = quint8(bytes.at((*at)++));
        if (i == 8) {
            *value = (v << 8) | byte;
            return true;
        }
        v = (v << 7) | (byte & 0x7f);
        if (!(byte & 0x80)) {
            *value = v;
            return true;
        }
    }
    return false;
}

// FTS5's row count and the tokens of all rows: its "averages" record (row 1 of %_data).
bool tableTotals(QSqlDatabase &db, const QString &table, quint64 *rows, quint64 *tokens)
{
    QSqlQuery q(db);
    if (!q.exec(u"SELECT block FROM %1_data WHERE id = 1"_s.arg(table)) || !q.next())
        return false;
    const QByteArray record = q.value(0).toByteArray();
    qsizetype at = 0;
    if (!readVarint(record, &at, rows))
        return false;
    *tokens = 0;
    quint64 column = 0;
    while (at < record.size()) {
        if (!readVarint(record, &at, &column))
            return false;
        *tokens += column;
    }
    return true;
}

struct Phrase
{
    QString term;
    qint64 rows = 0; // rows holding it
    double idf = 0;
};

struct Scored
{
    qint64 rowid;
    double score;
    QString content;
};

bool exactSearch(QSqlDatabase &db, const QString &table, const QString &slug, const QStringList &words, int limit,
                 QList<Memory> *out, QString *error)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(u"SELECT memory_id, COALESCE(shown, content), CAST(metadata AS BLOB), bm25(%1) FROM %1 WHERE %1 MATCH ? "
              "ORDER BY bm25(%1), rowid LIMIT ?"_s.arg(table));
    q.addBindValue(matchExpressionOf(words));
    q.addBindValue(limit);
    if (!q.exec())
        return sqlFail(q, error);
    while (q.next()) {
        Memory m;
        m.id = q.value(0).toString();
        m.dataset = slug;
        m.content = q.value(1).toString();
        m.metadata = parseJson(q.value(2).toByteArray(), nullptr, kJsonMaxWireDepth);
        m.score = std::round(-q.value(3).toDouble() * 1e4) / 1e4;
        out->append(std::move(m));
    }
    return true;
}

// The rows holding `term` (indexed as one token): from the counts kept at build time, or
// (a rare word, not kept) counted now.
std::optional<qint64> rowsHolding(QSqlDatabase &db, const QString &table, const QString &word, const QString &term,
                                  QString *error)
{
    QSqlQuery q(db);
    q.prepare(u"SELECT rows FROM %1_terms WHERE term = ?"_s.arg(table));
    q.addBindValue(term);
    if (!q.exec())
        return sqlFail(q, error), std::nullopt;
    if (q.next())
        return q.value(0).toLongLong();
    q.finish();
    QSqlQuery count(db);
    count.prepare(u"SELECT count(*) FROM %1 WHERE %1 MATCH ?"_s.arg(table));
    count.addBindValue(matchExpressionOf({word}));
    if (!count.exec() || !count.next())
        return sqlFail(count, error), std::nullopt;
    return count.value(0).toLongLong();
}

} // namespace

QStringList queryWords(const QString &query)
{
    static const QRegularExpression word(u"[\\p{L}\\p{N}]+"_s);
    QStringList words;
    for (auto it = word.globalMatch(query); it.hasNext();) {
        const QString w = it.next().captured(0);
        if (!words.contains(w))
            words.append(w);
    }
    return words;
}

QString matchExpressionOf(const QStringList &words)
{
    QStringList terms;
    for (const QString &w : words)
        terms.append(u"\""_s + w + u"\""_s);
    return terms.join(u" OR "_s);
}

bool buildTermCounts(QSqlDatabase &db, qint64 tableId, QString *error)
{
    const QString table = u"m%1"_s.arg(tableId);
    QSqlQuery q(db);
    const auto run = [&](const QString &sql) { return q.exec(sql) || sqlFail(q, error); };
    const bool ok = run(u"DROP TABLE IF EXISTS temp.%1_vocab"_s.arg(table))
        && run(u"CREATE VIRTUAL TABLE temp.%1_vocab USING fts5vocab(main, '%1', 'row')"_s.arg(table))
        && run(u"DROP TABLE IF EXISTS %1_terms"_s.arg(table))
        && run(u"CREATE TABLE %1_terms(term TEXT PRIMARY KEY, rows INTEGER NOT NULL) WITHOUT ROWID"_s.arg(table))
        && run(u"INSERT INTO %1_terms(term, rows) SELECT term, doc FROM temp.%1_vocab WHERE doc >= %2"_s.arg(table).arg(
            CommonTermRows));
    q.exec(u"DROP TABLE IF EXISTS temp.%1_vocab"_s.arg(table));
    return ok;
}

bool rankedSearch(QSqlDatabase &db, qint64 tableId, const QString &slug, const QStringList &words, int limit,
                  const SearchBudget &budget, QList<Memory> *out, QString *error)
{
    const QString table = u"m%1"_s.arg(tableId);
    if (words.isEmpty())
        return true;

    QList<Phrase> phrases;
    qint64 postings = 0;
    for (const QString &word : words) {
        Phrase p;
        p.term = termOf(word);
        if (p.term.isEmpty()) // a word FTS5 reads as several tokens: its own phrase rules
            return exactSearch(db, table, slug, words, limit, out, error);
        const auto rows = rowsHolding(db, table, word, p.term, error);
        if (!rows)
            return false;
        p.rows = *rows;
        postings += p.rows;
        phrases.append(p);
    }
    quint64 rowCount = 0, tokenCount = 0;
    if (postings <= budget.exactPostings || !tableTotals(db, table, &rowCount, &tokenCount) || rowCount == 0)
        return exactSearch(db, table, slug, words, limit, out, error);

    const double n = double(rowCount);
    const double avgdl = double(tokenCount) / n;
    for (Phrase &p : phrases) {
        p.idf = std::log((n - double(p.rows) + 0.5) / (double(p.rows) + 0.5));
        if (p.idf <= 0.0)
            p.idf = 1e-6;
    }
    // The rarest words choose the rows; the most common are only scored.
    QList<qsizetype> byRarity(phrases.size());
    std::iota(byRarity.begin(), byRarity.end(), 0);
    std::stable_sort(byRarity.begin(), byRarity.end(),
                     [&](qsizetype a, qsizetype b) { return phrases[a].rows < phrases[b].rows; });
    QStringList chosen{words.at(byRarity.first())};
    qint64 chosenRows = phrases[byRarity.first()].rows;
    for (qsizetype i = 1; i < byRarity.size() && chosenRows + phrases[byRarity[i]].rows <= budget.candidateRows; ++i) {
        chosen.append(words.at(byRarity[i]));
        chosenRows += phrases[byRarity[i]].rows;
    }

    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(u"SELECT rowid, content FROM %1 WHERE %1 MATCH ? LIMIT ?"_s.arg(table));
    q.addBindValue(matchExpressionOf(chosen));
    q.addBindValue(budget.candidateRows);
    if (!q.exec())
        return sqlFail(q, error);
    QList<Scored> scored;
    QList<double> frequency(phrases.size());
    QString token;
    token.reserve(256);
    while (q.next()) {
        QString content = q.value(1).toString();
        std::fill(frequency.begin(), frequency.end(), 0.0);
        qint64 length = 0;
        forEachToken(content, token, [&](const QString &t) {
            ++length;
            for (qsizetype i = 0; i < phrases.size(); ++i)
                if (phrases[i].term == t)
                    frequency[i] += 1.0;
        });
        // As fts5_aux.c's fts5Bm25Function sums it, phrase by phrase in the query's order.
        const double d = double(length);
        double score = 0.0;
        for (qsizetype i = 0; i < phrases.size(); ++i)
            score += phrases[i].idf * ((frequency[i] * (K1 + 1.0)) / (frequency[i] + K1 * (1 - B + B * d / avgdl)));
        scored.append({q.value(0).toLongLong(), score, std::move(content)});
    }
    q.finish();
    const auto better = [](const Scored &a, const Scored &b) {
        return a.score != b.score ? a.score > b.score : a.rowid < b.rowid;
    };
    const qsizetype keep = std::min<qsizetype>(limit, scored.size());
    std::partial_sort(scored.begin(), scored.begin() + keep, scored.end(), better);

    QSqlQuery row(db);
    // "content" is what was searched; "shown", when the sidecar's columns set it, is handed on.
    row.prepare(u"SELECT memory_id, CAST(metadata AS BLOB), shown FROM %1 WHERE rowid = ?"_s.arg(table));
    for (qsizetype i = 0; i < keep; ++i) {
        row.bindValue(0, scored[i].rowid);
        if (!row.exec() || !row.next())
            return sqlFail(row, error);
        Memory m;
        m.id = row.value(0).toString();
        m.dataset = slug;
        m.content = row.value(2).isNull() ? std::move(scored[i].content) : row.value(2).toString();
        m.metadata = parseJson(row.value(1).toByteArray(), nullptr, kJsonMaxWireDepth);
        // bm25() is the score with its sign turned, and memory.search turns it back.
        m.score = std::round(-(-1.0 * scored[i].score) * 1e4) / 1e4;
        out->append(std::move(m));
    }
    return true;
}

} // namespace invoke::datasets
