#pragma once
// Sort and filter for a dataset table (ui/datasets/datasettablemodel.h) that may hold a
// million rows read lazily: the rows are read in slices from the event loop (a progress
// bar, and Cancel, stay live), the rows kept and their order computed once into a map
// from the view's rows to the table's, and the sort itself runs on a worker thread. A
// QSortFilterProxyModel would ask for every cell on the GUI thread, again and again while
// sorting. Find (the next cell holding a text) reads in slices the same way.
// Rows added or removed in the table while a view is on keep the view's order: an added
// row shows after the row it was added under, a removed one leaves it.
#include <QtCore/QAbstractProxyModel>
#include <QtCore/QElapsedTimer>
#include <QtCore/QPointer>

#include <functional>
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
    void cancel();

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

private:
    struct Scan;
    void rebuild();
    void step();
    void finishScan();
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
    std::unique_ptr<Scan> m_scan;
    bool m_busy = false;
    int m_generation = 0;
    std::vector<QMetaObject::Connection> m_sourceConnections;
};

} // namespace invoke::ui
