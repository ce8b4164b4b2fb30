#pragma once
// memory.search's ranking over one dataset's FTS5 table (core/datasets/datasetindex.h):
// bm25 as FTS5 computes it (k1 1.2, b 0.75, idf log((N - n + 0.5) / (n + 0.5)), at least
// 1e-6), best first, ties by row.
//
// Why not always ORDER BY bm25(): FTS5 scores every row that holds any word of the query,
// about a microsecond each, and counts each word's rows again for its idf. A word in most
// rows of a 1M-row dataset costs a second. So:
//  - When the words' rows together are few (SearchBudget::exactPostings; the row counts
//    of common words are kept per table when it is built, see buildTermCounts), FTS5
//    ranks as before: the exact answer.
//  - Otherwise the rows to score are taken from the rarest words first, at most
//    SearchBudget::candidateRows of them, and each is scored here with every word of the
//    query by the same formula (its words counted by a tokenizer that reads text as
//    FTS5's unicode61 with remove_diacritics 2 does: letters and digits, lower case, no
//    accents). The words left out are the most common ones: a row that holds only those
//    scores at most the sum of their idf * (k1 + 1), which is tiny for a word in most rows
//    (its idf is 1e-6 beyond half of them), so the best rows are the same; when the rarest
//    word alone is in more rows than the budget, the first rows that hold it are ranked.
#include "core/datasets/datasetstore.h"

#include <QtSql/QSqlDatabase>

namespace invoke::datasets {

// A word whose rows are counted at build time: in at least this many rows.
inline constexpr qint64 CommonTermRows = 1000;

// The words of a typed question (letters and digits), each once: memory.search's phrases.
QStringList queryWords(const QString &query);
// The FTS5 match expression for them: "w1" OR "w2" ...
QString matchExpressionOf(const QStringList &words);

// Keeps the row counts of the table's common words (in m<id>_terms), read from FTS5's own
// vocabulary once its rows are in.
bool buildTermCounts(QSqlDatabase &db, qint64 tableId, QString *error);

// The best `limit` rows of table m<tableId> for `words`, appended to `out` best first.
bool rankedSearch(QSqlDatabase &db, qint64 tableId, const QString &slug, const QStringList &words, int limit,
                  const SearchBudget &budget, QList<Memory> *out, QString *error);

} // namespace invoke::datasets
