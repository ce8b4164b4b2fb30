#pragma once
// The datasets of a list of folders, indexed into one SQLite file with an FTS5 table per
// dataset (bm25 ranking). A dataset is indexed when it is first listed or searched, and
// again only when its files change (DatasetSource::fingerprint). The index is keyed by
// the dataset's path, so tools with different folders (the studio, invoke-cli with
// --datasets-dir) share it without re-indexing each other's datasets.
//
// Safe to use from any thread: every call opens its own connection (SQLite in WAL mode
// lets a search read while another process indexes).
#include "core/model/datasetinfo.h"

#include <optional>

namespace invoke::datasets {

// One search hit, as memory.search outputs it.
struct Memory
{
    QString id;      // "<file>:<line>"
    QString dataset; // the slug
    QString content;
    double score = 0; // higher is better: bm25 with its sign turned
    Json metadata = Json::object(); // {file, line, ...}

    Json toJson() const;
};

class DatasetStore
{
public:
    // Empty `folders`: DatasetCatalog::defaultFolders(); empty `indexFile`:
    // paths::datasetIndexFile().
    DatasetStore(QStringList folders, QString indexFile);

    const QStringList &folders() const { return m_folders; }
    const QString &indexFile() const { return m_indexFile; }

    // Every dataset with its row count, indexing what changed. A file that cannot be
    // read is listed in `problems` (path, line, reason); a dataset none of whose files
    // could be read is left out. `error` is set when the index itself cannot be used.
    DatasetListing list() const;

    // The best `limit` records for `query` over the datasets `slugs`, best first. An
    // unknown slug, a dataset that could not be read, or an index that cannot be opened
    // gives nullopt with `error` naming it. A query without words finds nothing.
    std::optional<QList<Memory>> search(const QStringList &slugs, const QString &query, int limit,
                                        QString *error) const;

private:
    QStringList m_folders;
    QString m_indexFile;
};

} // namespace invoke::datasets
