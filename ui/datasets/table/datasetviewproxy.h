#pragma once
// Sort and filter for a dataset table (ui/datasets/table/datasettablemodel.h) that may hold a
// million rows read lazily: a worker thread reads the file once from its start
// (readTableColumns in ui/datasets/table/rowindexer.h), takes the edited rows' cells from a
// snapshot the GUI thread made, keeps the rows the filter wants and sorts them, and the
// GUI thread only swaps in the map from the view's rows to the table's. Progress is
// reported as it reads; cancel() (or a new sort or filter) stops it at its next block. A
// QSortFilterProxyModel would ask for every cell on the GUI thread, again and again while
// sorting. A sort or filter asked while the file is still being read starts once it is.
// Find (the next cell holding a text) reads in slices from the event loop.
// Rows added or removed in the table while a view is on keep the view's order: an added
// row shows after the row it was added under, a removed one leaves it.
#include <QtCore/QAbstractProxyModel>
#include <QtCore/QElapsedTimer>
#include <QtCore/QPointer>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace invoke::ui {

class DatasetTableModel;

class DatasetViewProxy : public QAbstractProxyModel
{
    Q_OBJECT
public:
    explicit DatasetViewProxy(QObject *parent = nullptr);
    ~DatasetViewProxy() override;

    void setSourceModel(QAbstractItemModel *model) override;
    DatasetTableModel *table() const;

    // Rows whose cell in `column` (-1: any column) holds `text` (case-insensitive), in
    // the order set by sortBy. Empty text: every row.
    void setFilter(const QString &text, int column = -1);
    // By `column` (-1: the file's order): numbers as numbers when every value is one,
    // else text ignoring case.
    void sortBy(int column, Qt::SortOrder order = Qt::AscendingOrder);
    QString filterText() const { return m_filter; }
    int sortColumn() const { return m_sortColumn; }
    Qt::SortOrder sortOrder() const { return m_sortOrder; }
    bool isBusy() const { return m_busy; }
    // Stops the sort or filter on its way: the view keeps the rows it shows, and
    // filterText() and sortColumn() say again what they were made by.
    void stop();
    void cancel(); // stops it, keeping the sort and filter asked for (a new one follows)

    // The first cell after (row, column), in reading order and wrapping around, that holds
    // `text`; `found` gets its index (invalid when none), asynchronously.
    void findNext(const QString &text, const QModelIndex &after, std::function<void(const QModelIndex &)> found);

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QModelIndex mapToSource(const QModelIndex &proxyIndex) const override;
    QModelIndex mapFromSource(const QModelIndex &sourceIndex) const override;
    bool hasChildren(const QModelIndex &parent = {}) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // The longest a slice of reading keeps the event loop (ms).
    static constexpr int SliceMs = 12;

Q_SIGNALS:
    void busyChanged(bool busy);
    void progress(int done, int total);
    // A sort or filter could not read the file (the view stays as it was).
    void failed(const QString &error);

private:
    void rebuild();
    void apply(std::optional<std::vector<int>> rows);
    void setBusy(bool busy);
    void rebuildInverse();
    int sourceRowOf(int row) const { return m_rows ? (*m_rows)[size_t(row)] : row; }

    QString m_filter;
    int m_filterColumn = -1;
    int m_sortColumn = -1;
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;
    std::optional<std::vector<int>> m_rows; // view row -> table row; none: the table's order
    std::vector<int> m_inverse;             // table row -> view row or -1
    std::shared_ptr<std::atomic<bool>> m_cancelScan; // the running scan's
    bool m_busy = false;
    struct Applied
    {
        QString filter;
        int filterColumn = -1;
        int sortColumn = -1;
        Qt::SortOrder sortOrder = Qt::AscendingOrder;
    } m_applied; // what the rows shown were made by
    bool m_rescan = false; // rows removed while a scan ran: scan again after
    int m_generation = 0;
    std::vector<QMetaObject::Connection> m_sourceConnections;
};

} // namespace invoke::ui
