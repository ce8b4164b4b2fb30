#pragma once
// The datasets of a list of folders, indexed into one SQLite file with an FTS5 table per
// dataset (bm25 ranking). A dataset is indexed when it is first listed or searched, and
// again only when its files change (DatasetSource::fingerprint). The index is keyed by
// the dataset's path, so tools with different folders (the studio, invoke-cli with
// --datasets-dir) share it without re-indexing each other's datasets.
//
// Safe to use from any thread: every call opens its own connection (SQLite in WAL mode
// lets a search read while another process indexes).
#include "core/model/dataset/datasetinfo.h"
#include "core/model/dataset/datasetsearch.h"

#include <functional>
#include <optional>

namespace invoke::datasets {

// memory.search's limit: its default and the most it takes (core/engine/actions/memorysearch.h).
inline constexpr int SearchDefaultLimit = DatasetSearchDefaultLimit;
inline constexpr int SearchMaxLimit = DatasetSearchMaxLimit;

// One search hit, as memory.search outputs it (a value of core/model, so the Backend
// interface can hand it on without knowing this library).
using Memory = DatasetMemory;

// How far indexing has come, for a progress bar: handed to an IndexProgressFn every few
// thousand rows and when a file starts; the function returns false to cancel (the index
// keeps what it had, nothing half-written).
struct IndexProgress
{
    QString slug;
    QString file;
    qint64 bytesDone = 0;  // of the dataset's files, together
    qint64 bytesTotal = 0;
    qint64 rows = 0;       // of this dataset so far
};
using IndexProgressFn = std::function<bool(const IndexProgress &)>;

// How much of a search FTS5 ranks itself, and how many rows are scored otherwise
// (core/datasets/datasetranking.h says why and how).
struct SearchBudget
{
    // At most this many (row, word) pairs: FTS5's own exact ranking.
    qint64 exactPostings = 4000;
    // Rows scored when the words are more common than that.
    qint64 candidateRows = 2000;
};

// memory.search's output for these hits: {"memories": [...]}.
using invoke::memoriesJson;

class DatasetStore
{
public:
    // A file larger than this is not indexed (its problem says why): a folder of smaller
    // files indexes the same rows without one multi-gigabyte read.
    static constexpr qint64 DefaultMaxFileBytes = qint64(2) << 30;

    // Empty `folders`: DatasetCatalog::defaultFolders(); empty `indexFile`:
    // paths::datasetIndexFile().
    DatasetStore(QStringList folders, QString indexFile);

    const QStringList &folders() const { return m_folders; }
    const QString &indexFile() const { return m_indexFile; }

    // Every dataset with its row count, indexing what changed. A file that cannot be
    // read is listed in `problems` (path, line, reason); a dataset none of whose files
    // could be read is left out. `error` is set when the index itself cannot be used.
    // With `progress`, reports indexing as it goes and stops when it returns false (the
    // listing's error then says "indexing was cancelled").
    DatasetListing list(const IndexProgressFn &progress = {}) const;

    void setMaxFileBytes(qint64 bytes) { m_maxFileBytes = bytes; }
    // Tests set a small one to rank a small dataset as a large one is.
    void setSearchBudget(const SearchBudget &budget) { m_budget = budget; }
    qint64 maxFileBytes() const { return m_maxFileBytes; }

    // The best `limit` records for `query` over the datasets `slugs`, best first. An
    // unknown slug, a dataset that could not be read, or an index that cannot be opened
    // gives nullopt with `error` naming it. A query without words finds nothing.
    std::optional<QList<Memory>> search(const QStringList &slugs, const QString &query, int limit,
                                        QString *error) const;
    // One dataset, as memory.search answers it (its limits checked): what
    // Backend::searchDataset hands on, with the kind of failure a server answers by.
    // `progress`: indexing before the search (list() says how), for a progress bar.
    DatasetSearchResult searchDataset(const QString &slug, const QString &query, int limit,
                                      const IndexProgressFn &progress = {}) const;

private:
    std::optional<QList<Memory>> searchSlugs(const QStringList &slugs, const QString &query, int limit,
                                             QString *error, bool *unknownSlug,
                                             const IndexProgressFn &progress = {}) const;

    QStringList m_folders;
    QString m_indexFile;
    qint64 m_maxFileBytes = DefaultMaxFileBytes;
    SearchBudget m_budget;
};

} // namespace invoke::datasets
