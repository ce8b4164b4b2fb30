#include "ui/datasets/datasetlistmodel.h"

#include "core/config/paths.h"

#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QLocale>
#include <QtCore/QSettings>

using namespace Qt::StringLiterals;

namespace invoke::ui {

QString formatBytes(qint64 bytes)
{
    return QLocale::c().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}

namespace {

// The folder of `folders` that holds `path` (a dataset file or folder directly inside it).
bool isIn(const QString &path, const QStringList &folders)
{
    const QString parent = QFileInfo(QFileInfo(path).absolutePath()).canonicalFilePath();
    for (const QString &folder : folders)
        if (!parent.isEmpty() && QFileInfo(folder).canonicalFilePath() == parent)
            return true;
    return false;
}

} // namespace

DatasetListModel::DatasetListModel(const QStringList &folders, const QString &indexFile, QObject *parent)
    : QAbstractTableModel(parent), m_folders(folders),
      m_indexFile(indexFile.isEmpty() ? paths::datasetIndexFile() : indexFile)
{
    if (m_folders.isEmpty()) {
        m_preferenceFolders = QSettings().value(QLatin1String(datasets::FoldersSettingsKey)).toStringList();
        m_folders = datasets::DatasetCatalog::defaultFolders(m_preferenceFolders);
    }
}

void DatasetListModel::setCommandLineFolders(const QStringList &folders)
{
    for (const QString &folder : folders) {
        const QString absolute = QFileInfo(folder).absoluteFilePath();
        m_commandLineFolders.append(absolute);
        // Last, as app/studio/main.cpp hands them to the engine: the same dataset wins.
        m_folders.removeAll(absolute);
        m_folders.append(absolute);
    }
    refresh();
}

DatasetListModel::~DatasetListModel()
{
    stopWorker();
}

void DatasetListModel::stopWorker()
{
    if (!m_worker)
        return;
    *m_cancel = true;
    m_worker->wait();
    delete m_worker;
    m_worker = nullptr;
}

void DatasetListModel::refresh()
{
    datasets::DatasetCatalog catalog;
    catalog.scan(m_folders);
    beginResetModel();
    QHash<QString, Entry> before;
    for (const Entry &e : std::as_const(m_entries))
        before.insert(e.source.path, e);
    m_entries.clear();
    for (const datasets::DatasetSource &source : catalog.sources()) {
        Entry entry;
        entry.source = source;
        for (const QString &file : source.files)
            entry.bytes += QFileInfo(file).size();
        const Entry old = before.value(source.path);
        const bool same = old.source.fingerprint == source.fingerprint && old.rows >= 0;
        entry.rows = same ? old.rows : -1;
        entry.state = same ? old.state : tr("to index");
        m_entries.append(entry);
    }
    m_problems.clear();
    for (const LoadProblem &p : catalog.problems())
        m_problems.append(p.toString());
    endResetModel();
    startIndexing();
}

void DatasetListModel::startIndexing()
{
    if (m_worker) {
        m_again = true; // after this one: the folders changed meanwhile
        return;
    }
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    DatasetListModel *self = this; // the destructor stops and waits for the worker; queued calls die with it
    m_worker = QThread::create([self, cancel = m_cancel, folders = m_folders, indexFile = m_indexFile] {
        const datasets::DatasetStore store(folders, indexFile);
        const DatasetListing listing = store.list([self, cancel](const datasets::IndexProgress &p) {
            if (*cancel)
                return false;
            QMetaObject::invokeMethod(self, [self, p] {
                if (self)
                    Q_EMIT self->indexing(p.slug, p.bytesDone, p.bytesTotal);
                if (self) {
                    const int row = self->rowOfSlug(p.slug);
                    if (row >= 0 && self->m_entries[row].rows < 0) {
                        self->m_entries[row].state = tr("indexing, %1 rows").arg(p.rows);
                        Q_EMIT self->dataChanged(self->index(row, StateColumn), self->index(row, StateColumn));
                    }
                }
            }, Qt::QueuedConnection);
            return true;
        });
        if (*cancel)
            return;
        QMetaObject::invokeMethod(self, [self, listing] {
            if (self)
                self->takeListing(listing);
        }, Qt::QueuedConnection);
    });
    m_worker->start();
}

void DatasetListModel::takeListing(const DatasetListing &listing)
{
    if (m_worker) {
        m_worker->wait();
        delete m_worker;
        m_worker = nullptr;
    }
    for (int row = 0; row < m_entries.size(); ++row) {
        Entry &entry = m_entries[row];
        entry.rows = -1;
        entry.state = listing.error.isEmpty() ? tr("not indexed") : tr("not indexed: %1").arg(listing.error);
        for (const DatasetInfo &info : listing.datasets)
            if (info.slug == entry.source.slug) {
                entry.rows = info.size;
                entry.state = tr("indexed");
            }
        QStringList problems;
        for (const LoadProblem &p : listing.problems)
            if (p.file == entry.source.path || entry.source.files.contains(p.file))
                problems.append(p.toString());
        if (!problems.isEmpty())
            entry.state = (entry.rows >= 0 ? tr("indexed, but: %1") : tr("not indexed: %1")).arg(problems.join(u"; "_s));
    }
    if (!m_entries.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(int(m_entries.size()) - 1, ColumnCount - 1));
    Q_EMIT indexed();
    if (std::exchange(m_again, false))
        startIndexing();
}

const datasets::DatasetSource *DatasetListModel::source(int row) const
{
    return row >= 0 && row < m_entries.size() ? &m_entries.at(row).source : nullptr;
}

int DatasetListModel::rowOfSlug(const QString &slug) const
{
    for (int row = 0; row < m_entries.size(); ++row)
        if (m_entries.at(row).source.slug == slug)
            return row;
    return -1;
}

int DatasetListModel::rowOfPath(const QString &path) const
{
    const QString wanted = QFileInfo(path).absoluteFilePath();
    for (int row = 0; row < m_entries.size(); ++row)
        if (QFileInfo(m_entries.at(row).source.path).absoluteFilePath() == wanted)
            return row;
    return -1;
}

QString DatasetListModel::originOf(const datasets::DatasetSource &source) const
{
    if (source.path.startsWith(u':'))
        return tr("bundled");
    const QString folder = QDir::toNativeSeparators(QFileInfo(source.path).absolutePath());
    if (isIn(source.path, m_commandLineFolders))
        return tr("%1 (--datasets)").arg(folder);
    if (source.path.startsWith(paths::userDatasets() + u'/'))
        return tr("your folder");
    if (isIn(source.path, m_preferenceFolders))
        return tr("%1 (Preferences)").arg(folder);
    return folder;
}

bool DatasetListModel::isWritable(const datasets::DatasetSource &source) const
{
    return !source.path.startsWith(u':') && QFileInfo(source.path).isWritable();
}

QStringList DatasetListModel::problems() const
{
    return m_problems;
}

int DatasetListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int DatasetListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant DatasetListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.model() != this || index.row() >= rowCount() || index.column() >= columnCount())
        return {};
    const Entry &entry = m_entries.at(index.row());
    if (role == Qt::ToolTipRole)
        return u"%1\n%2\n%3\n%4"_s.arg(entry.source.description, entry.source.path, originOf(entry.source),
                                         entry.state);
    if (role == Qt::TextAlignmentRole && (index.column() == RowsColumn || index.column() == SizeColumn))
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case NameColumn:
        return entry.source.name;
    case SlugColumn:
        return entry.source.slug;
    case RowsColumn:
        return entry.rows < 0 ? QVariant(u"…"_s) : QVariant(QLocale().toString(entry.rows));
    case SizeColumn:
        return formatBytes(entry.bytes);
    case StateColumn:
        return entry.state;
    case FolderColumn:
        return originOf(entry.source);
    default:
        return {};
    }
}

QVariant DatasetListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn: return tr("Name");
    case SlugColumn: return tr("Slug");
    case RowsColumn: return tr("Rows");
    case SizeColumn: return tr("Size");
    case StateColumn: return tr("Index");
    case FolderColumn: return tr("Folder");
    default: return {};
    }
}

} // namespace invoke::ui
