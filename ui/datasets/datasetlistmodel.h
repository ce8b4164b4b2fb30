#pragma once
// The datasets of the workspace: every dataset of the bundled examples, the user's folder
// and the added folders (core/datasets/datasetcatalog.h), with the folder it comes from,
// its size on disk, its rows and the state of its index. The folders are scanned at once
// (names and sizes); indexing (DatasetStore::list, which indexes only what changed) runs
// on a worker thread, reporting as it goes, and fills in rows and states when it is done.
#include "core/datasets/datasetcatalog.h"
#include "core/datasets/datasetstore.h"

#include <QtCore/QAbstractTableModel>
#include <QtCore/QThread>

#include <atomic>
#include <memory>

namespace invoke::ui {

class DatasetListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { NameColumn, SlugColumn, RowsColumn, SizeColumn, StateColumn, FolderColumn, ColumnCount };

    // `folders` empty: the bundled examples, the user's folder and the folders added in
    // the settings; `indexFile` empty: the user's dataset index.
    DatasetListModel(const QStringList &folders, const QString &indexFile, QObject *parent = nullptr);
    ~DatasetListModel() override;

    const QStringList &folders() const { return m_folders; }
    // The folders the studio was started with (--datasets FOLDER, app/studio/main.cpp):
    // listed after the others (a slug there overrides one before it, as in the engine's
    // catalog), their Folder column saying so. Scans again.
    void setCommandLineFolders(const QStringList &folders);
    const QString &indexFile() const { return m_indexFile; }
    // Scans the folders again (the list changes at once), then indexes what changed.
    void refresh();
    bool isIndexing() const { return m_worker != nullptr; }

    const datasets::DatasetSource *source(int row) const;
    int rowOfSlug(const QString &slug) const;
    int rowOfPath(const QString &path) const;
    // Where a dataset comes from, in words: "bundled", "your folder", or the folder it is
    // in and how it was added ("FOLDER (Preferences)", "FOLDER (--datasets)").
    QString originOf(const datasets::DatasetSource &source) const;
    bool isWritable(const datasets::DatasetSource &source) const;
    QStringList problems() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void indexing(const QString &slug, qint64 bytesDone, qint64 bytesTotal);
    void indexed();

private:
    struct Entry
    {
        datasets::DatasetSource source;
        qint64 bytes = 0;
        qint64 rows = -1;   // unknown until indexed
        QString state;
    };
    void startIndexing();
    void takeListing(const DatasetListing &listing);
    void stopWorker();

    QStringList m_folders;
    QStringList m_preferenceFolders;  // added in Preferences (when the folders are the user's)
    QStringList m_commandLineFolders; // --datasets
    QString m_indexFile;
    QList<Entry> m_entries;
    QStringList m_problems;
    QThread *m_worker = nullptr;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    bool m_again = false;
};

QString formatBytes(qint64 bytes);

} // namespace invoke::ui
