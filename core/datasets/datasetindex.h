#pragma once
// One connection to the dataset index file (core/datasets/datasetstore.h), for one call
// on one thread. Indexing streams: a dataset's rows go into a new FTS5 table in
// transactions of a few thousand rows, and the table replaces the old one only when every
// file was read to its end, so a refused, changed or cancelled read leaves the index as
// it was and memory holds one block of the file at a time.
#include "core/datasets/datasetcatalog.h"
#include "core/datasets/datasetstore.h"

#include <QtSql/QSqlDatabase>

namespace invoke::datasets {

struct IndexedDataset
{
    qint64 tableId = 0;
    qint64 rows = 0;
    QList<LoadProblem> problems; // files (at most one each) that were not indexed
    QList<LoadProblem> notes;    // what the user should know of a file that was indexed
};

class IndexConnection
{
public:
    explicit IndexConnection(const QString &file);
    ~IndexConnection();
    IndexConnection(const IndexConnection &) = delete;
    IndexConnection &operator=(const IndexConnection &) = delete;

    bool open(QString *error);

    // The dataset as indexed now, indexing it first when its files changed. nullopt with
    // `error` when the index cannot be written or `progress` cancelled.
    std::optional<IndexedDataset> ensure(const DatasetSource &source, qint64 maxFileBytes,
                                         const IndexProgressFn &progress, qint64 *bytesBefore, qint64 bytesTotal,
                                         QString *error);

    // memory.search's ranking (core/datasets/datasetranking.h) of `words` (queryWords()).
    bool search(qint64 tableId, const QString &slug, const QStringList &words, int limit, const SearchBudget &budget,
                QList<Memory> *out, QString *error);

    // Drops the index of datasets whose file or folder is gone (resources never go), and
    // tables a process began and never finished (killed mid-way) a day ago or more.
    void forgetMissing();

private:
    bool exec(const QString &sql, QString *error);
    std::optional<IndexedDataset> stored(const QString &path, const QString &fingerprint, QString *error);
    qint64 reserveTable(const QString &path, QString *error);
    void dropBuilt(qint64 tableId);
    bool dropTables(qint64 tableId, QString *error); // the FTS5 table and its term counts
    std::optional<IndexedDataset> publish(const QString &path, const QString &fingerprint, const IndexedDataset &built,
                                          QString *error);

    QString m_file;
    QString m_name;
    QSqlDatabase m_db;
};

// The match expression memory.search runs for a typed question (its words, any of them).
QString matchExpression(const QString &query);

// The error of ensure() when its progress function said stop.
inline constexpr char IndexingCancelled[] = "indexing was cancelled";

} // namespace invoke::datasets
