#include "core/datasets/datasetstore.h"

#include "core/config/paths.h"
#include "core/datasets/datasetcatalog.h"
#include "core/datasets/datasetindex.h"
#include "core/datasets/datasetranking.h"

#include <QtCore/QFileInfo>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace invoke::datasets {

namespace {

// A dataset none of whose files could be read has nothing to offer.
bool unreadable(const DatasetSource &source, const IndexedDataset &indexed)
{
    return indexed.rows == 0 && indexed.problems.size() >= source.files.size();
}

} // namespace

DatasetStore::DatasetStore(QStringList folders, QString indexFile)
    : m_folders(folders.isEmpty() ? DatasetCatalog::defaultFolders() : std::move(folders)),
      m_indexFile(indexFile.isEmpty() ? paths::datasetIndexFile() : std::move(indexFile))
{
}

DatasetListing DatasetStore::list(const IndexProgressFn &progress) const
{
    DatasetCatalog catalog;
    catalog.scan(m_folders);
    DatasetListing listing;
    listing.problems = catalog.problems();

    IndexConnection index(m_indexFile);
    QString error;
    if (!index.open(&error)) {
        listing.error = u"the dataset index %1 cannot be opened: %2"_s.arg(m_indexFile, error);
        return listing;
    }
    qint64 bytesTotal = 0;
    for (const DatasetSource &source : catalog.sources())
        for (const QString &file : source.files)
            bytesTotal += QFileInfo(file).size();
    qint64 bytesDone = 0;
    for (const DatasetSource &source : catalog.sources()) {
        const auto indexed = index.ensure(source, m_maxFileBytes, progress, &bytesDone, bytesTotal, &error);
        if (!indexed && error == QLatin1StringView(IndexingCancelled)) {
            listing.error = error;
            return listing;
        }
        if (!indexed) {
            listing.problems.append({source.path, 0, u"cannot be indexed: "_s + error});
            continue;
        }
        listing.problems += indexed->problems + indexed->notes;
        if (!unreadable(source, *indexed))
            listing.datasets.append({source.slug, source.name, source.description, indexed->rows});
    }
    index.forgetMissing();
    return listing;
}

std::optional<QList<Memory>> DatasetStore::search(const QStringList &slugs, const QString &query, int limit,
                                                  QString *error) const
{
    bool unknownSlug = false;
    return searchSlugs(slugs, query, limit, error, &unknownSlug);
}

DatasetSearchResult DatasetStore::searchDataset(const QString &slug, const QString &query, int limit,
                                                const IndexProgressFn &progress) const
{
    DatasetSearchResult result;
    if (limit < 1 || limit > SearchMaxLimit) {
        result.failure = DatasetSearchResult::Failure::BadRequest;
        result.error = u"\"limit\" must be a whole number from 1 to %1, not %2"_s.arg(SearchMaxLimit).arg(limit);
        return result;
    }
    bool unknownSlug = false;
    auto memories = searchSlugs({slug}, query, limit, &result.error, &unknownSlug, progress);
    if (!memories) {
        result.failure = unknownSlug ? DatasetSearchResult::Failure::UnknownDataset
                                     : DatasetSearchResult::Failure::Failed;
        return result;
    }
    result.memories = std::move(*memories);
    return result;
}

std::optional<QList<Memory>> DatasetStore::searchSlugs(const QStringList &slugs, const QString &query, int limit,
                                                       QString *error, bool *unknownSlug,
                                                       const IndexProgressFn &progress) const
{
    DatasetCatalog catalog;
    catalog.scan(m_folders);
    QList<const DatasetSource *> sources;
    for (const QString &slug : slugs) {
        const DatasetSource *source = catalog.find(slug);
        if (!source) {
            QStringList known;
            for (const DatasetSource &s : catalog.sources())
                known.append(s.slug);
            *unknownSlug = true;
            *error = u"unknown dataset \"%1\" (known: %2)"_s.arg(slug, known.isEmpty() ? u"none"_s : known.join(u", "_s));
            return std::nullopt;
        }
        if (!sources.contains(source))
            sources.append(source);
    }

    IndexConnection index(m_indexFile);
    QString why;
    if (!index.open(&why)) {
        *error = u"the dataset index %1 cannot be opened: %2"_s.arg(m_indexFile, why);
        return std::nullopt;
    }
    const QStringList words = queryWords(query);
    QList<Memory> memories;
    for (const DatasetSource *source : std::as_const(sources)) {
        qint64 bytesDone = 0;
        qint64 bytesTotal = 0;
        if (progress)
            for (const QString &file : source->files)
                bytesTotal += QFileInfo(file).size();
        const auto indexed = index.ensure(*source, m_maxFileBytes, progress, &bytesDone, bytesTotal, &why);
        if (!indexed) {
            *error = u"dataset \"%1\" cannot be indexed: %2"_s.arg(source->slug, why);
            return std::nullopt;
        }
        if (unreadable(*source, *indexed)) {
            *error = u"dataset \"%1\" could not be read: %2"_s.arg(source->slug, indexed->problems.first().toString());
            return std::nullopt;
        }
        if (!words.isEmpty() && !index.search(indexed->tableId, source->slug, words, limit, m_budget, &memories, &why)) {
            *error = u"dataset \"%1\": the search failed: %2"_s.arg(source->slug, why);
            return std::nullopt;
        }
    }
    // bm25 from different tables is on a comparable scale; ties keep the datasets' order.
    std::stable_sort(memories.begin(), memories.end(),
                     [](const Memory &a, const Memory &b) { return a.score > b.score; });
    if (memories.size() > limit)
        memories.resize(limit);
    return memories;
}

} // namespace invoke::datasets
