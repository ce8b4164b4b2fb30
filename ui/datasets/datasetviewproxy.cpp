#include "ui/datasets/datasetviewproxy.h"
#include "ui/datasets/datasettablemodel.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QThread>
#include <QtCore/QTimer>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace invoke::ui {

struct DatasetViewProxy::Scan
{
    int generation = 0;
    int next = 0;
    int total = 0;
    std::vector<int> kept;
    std::vector<QString> keys; // when sorting: the kept rows' values
};

DatasetViewProxy::DatasetViewProxy(QObject *parent) : QAbstractProxyModel(parent) {}

DatasetViewProxy::~DatasetViewProxy()
{
    ++m_generation; // a sort still running on its thread hands its result to nobody
}

DatasetTableModel *DatasetViewProxy::table() const
{
    return qobject_cast<DatasetTableModel *>(sourceModel());
}

void DatasetViewProxy::setSourceModel(QAbstractItemModel *model)
{
    beginResetModel();
    for (const auto &c : m_sourceConnections)
        disconnect(c);
    m_sourceConnections.clear();
    cancel();
    m_rows.reset();
    m_filter.clear();
    m_sortColumn = -1;
    QAbstractProxyModel::setSourceModel(model);
    if (model) {
        auto &c = m_sourceConnections;
        c.push_back(connect(model, &QAbstractItemModel::modelAboutToBeReset, this, [this] {
            cancel();
            beginResetModel();
        }));
        c.push_back(connect(model, &QAbstractItemModel::modelReset, this, [this] {
            m_rows.reset();
            m_filter.clear();
            m_sortColumn = -1;
            endResetModel();
        }));
        c.push_back(connect(model, &QAbstractItemModel::rowsAboutToBeInserted, this,
                            [this](const QModelIndex &, int first, int last) {
                                if (!m_rows)
                                    beginInsertRows({}, first, last);
                            }));
        c.push_back(connect(model, &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex &, int first, int last) {
            if (!m_rows) {
                endInsertRows();
                return;
            }
            const int count = last - first + 1;
            for (int &row : *m_rows)
                if (row >= first)
                    row += count;
            // After the view row showing the table row above them, else at the end.
            int at = int(m_rows->size());
            if (first > 0 && size_t(first - 1) < m_inverse.size() && m_inverse[size_t(first - 1)] >= 0)
                at = m_inverse[size_t(first - 1)] + 1;
            beginInsertRows({}, at, at + count - 1);
            std::vector<int> added;
            for (int row = first; row <= last; ++row)
                added.push_back(row);
            m_rows->insert(m_rows->begin() + at, added.begin(), added.end());
            rebuildInverse();
            endInsertRows();
        }));
        c.push_back(connect(model, &QAbstractItemModel::rowsAboutToBeRemoved, this,
                            [this](const QModelIndex &, int first, int last) {
                                cancel();
                                if (!m_rows) {
                                    beginRemoveRows({}, first, last);
                                    return;
                                }
                                // The view rows showing them, highest first, in runs.
                                std::vector<int> gone;
                                for (int row = first; row <= last; ++row)
                                    if (m_inverse[size_t(row)] >= 0)
                                        gone.push_back(m_inverse[size_t(row)]);
                                std::sort(gone.begin(), gone.end(), std::greater<int>());
                                size_t i = 0;
                                while (i < gone.size()) {
                                    size_t j = i;
                                    while (j + 1 < gone.size() && gone[j + 1] == gone[j] - 1)
                                        ++j;
                                    beginRemoveRows({}, gone[j], gone[i]);
                                    m_rows->erase(m_rows->begin() + gone[j], m_rows->begin() + gone[i] + 1);
                                    endRemoveRows();
                                    i = j + 1;
                                }
                            }));
        c.push_back(connect(model, &QAbstractItemModel::rowsRemoved, this, [this](const QModelIndex &, int first, int last) {
            if (!m_rows) {
                endRemoveRows();
                return;
            }
            const int count = last - first + 1;
            for (int &row : *m_rows)
                if (row > last)
                    row -= count;
            rebuildInverse();
        }));
        c.push_back(connect(model, &QAbstractItemModel::columnsAboutToBeInserted, this,
                            [this](const QModelIndex &, int first, int last) { beginInsertColumns({}, first, last); }));
        c.push_back(connect(model, &QAbstractItemModel::columnsInserted, this, [this] { endInsertColumns(); }));
        c.push_back(connect(model, &QAbstractItemModel::columnsAboutToBeRemoved, this,
                            [this](const QModelIndex &, int first, int last) {
                                if (m_sortColumn >= first && m_sortColumn <= last)
                                    m_sortColumn = -1;
                                beginRemoveColumns({}, first, last);
                            }));
        c.push_back(connect(model, &QAbstractItemModel::columnsRemoved, this, [this] { endRemoveColumns(); }));
        c.push_back(connect(model, &QAbstractItemModel::dataChanged, this,
                            [this](const QModelIndex &topLeft, const QModelIndex &bottomRight, const QList<int> &roles) {
                                for (int row = topLeft.row(); row <= bottomRight.row(); ++row) {
                                    const QModelIndex left = mapFromSource(sourceModel()->index(row, topLeft.column()));
                                    if (left.isValid())
                                        Q_EMIT dataChanged(left, index(left.row(), bottomRight.column()), roles);
                                }
                            }));
        c.push_back(connect(model, &QAbstractItemModel::headerDataChanged, this,
                            [this](Qt::Orientation orientation, int first, int last) {
                                if (orientation == Qt::Horizontal || !m_rows)
                                    Q_EMIT headerDataChanged(orientation, first, last);
                                else if (rowCount() > 0)
                                    Q_EMIT headerDataChanged(orientation, 0, rowCount() - 1);
                            }));
    }
    endResetModel();
}

QModelIndex DatasetViewProxy::index(int row, int column, const QModelIndex &parent) const
{
    if (parent.isValid() || row < 0 || column < 0 || row >= rowCount() || column >= columnCount())
        return {};
    return createIndex(row, column);
}

QModelIndex DatasetViewProxy::parent(const QModelIndex &) const
{
    return {};
}

bool DatasetViewProxy::hasChildren(const QModelIndex &parent) const
{
    return !parent.isValid() && rowCount() > 0 && columnCount() > 0;
}

int DatasetViewProxy::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() || !sourceModel())
        return 0;
    return m_rows ? int(m_rows->size()) : sourceModel()->rowCount();
}

int DatasetViewProxy::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() || !sourceModel() ? 0 : sourceModel()->columnCount();
}

QModelIndex DatasetViewProxy::mapToSource(const QModelIndex &proxyIndex) const
{
    if (!proxyIndex.isValid() || !sourceModel())
        return {};
    return sourceModel()->index(sourceRowOf(proxyIndex.row()), proxyIndex.column());
}

QModelIndex DatasetViewProxy::mapFromSource(const QModelIndex &sourceIndex) const
{
    if (!sourceIndex.isValid())
        return {};
    if (!m_rows)
        return index(sourceIndex.row(), sourceIndex.column());
    const size_t row = size_t(sourceIndex.row());
    return row < m_inverse.size() && m_inverse[row] >= 0 ? index(m_inverse[row], sourceIndex.column()) : QModelIndex();
}

QVariant DatasetViewProxy::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (!sourceModel())
        return {};
    if (orientation == Qt::Horizontal)
        return sourceModel()->headerData(section, orientation, role);
    if (section < 0 || section >= rowCount())
        return {};
    return sourceModel()->headerData(sourceRowOf(section), orientation, role);
}

void DatasetViewProxy::rebuildInverse()
{
    m_inverse.assign(size_t(sourceModel() ? sourceModel()->rowCount() : 0), -1);
    if (m_rows)
        for (size_t i = 0; i < m_rows->size(); ++i)
            m_inverse[size_t((*m_rows)[i])] = int(i);
}

void DatasetViewProxy::setBusy(bool busy)
{
    if (m_busy != busy) {
        m_busy = busy;
        Q_EMIT busyChanged(busy);
    }
}

void DatasetViewProxy::cancel()
{
    ++m_generation;
    m_scan.reset();
    setBusy(false);
}

void DatasetViewProxy::setFilter(const QString &text, int column)
{
    m_filter = text;
    m_filterColumn = column;
    rebuild();
}

void DatasetViewProxy::sortBy(int column, Qt::SortOrder order)
{
    m_sortColumn = column;
    m_sortOrder = order;
    rebuild();
}

void DatasetViewProxy::rebuild()
{
    cancel();
    if (!sourceModel())
        return;
    if (m_filter.isEmpty() && m_sortColumn < 0) {
        apply(std::nullopt);
        return;
    }
    m_scan = std::make_unique<Scan>();
    m_scan->generation = m_generation;
    m_scan->total = sourceModel()->rowCount();
    setBusy(true);
    QTimer::singleShot(0, this, [this, generation = m_generation] {
        if (generation == m_generation)
            step();
    });
}

void DatasetViewProxy::step()
{
    DatasetTableModel *model = table();
    Scan &scan = *m_scan;
    QElapsedTimer slice;
    slice.start();
    const int columns = model->columnCount();
    while (scan.next < scan.total && slice.elapsed() < SliceMs) {
        for (int end = std::min(scan.total, scan.next + 256); scan.next < end; ++scan.next) {
            const int row = scan.next;
            bool keep = m_filter.isEmpty();
            for (int c = m_filterColumn < 0 ? 0 : m_filterColumn; !keep && c < columns; ++c) {
                keep = model->cellText(row, c).contains(m_filter, Qt::CaseInsensitive);
                if (m_filterColumn >= 0)
                    break;
            }
            if (!keep)
                continue;
            scan.kept.push_back(row);
            if (m_sortColumn >= 0)
                scan.keys.push_back(model->cellText(row, m_sortColumn));
        }
    }
    Q_EMIT progress(scan.next, scan.total);
    if (scan.next < scan.total) {
        QTimer::singleShot(0, this, [this, generation = m_generation] {
            if (generation == m_generation)
                step();
        });
        return;
    }
    finishScan();
}

void DatasetViewProxy::finishScan()
{
    std::unique_ptr<Scan> scan = std::move(m_scan);
    if (m_sortColumn < 0) {
        apply(std::move(scan->kept));
        setBusy(false);
        return;
    }
    // The sort runs on a thread of its own: a million keys take a while to order.
    const bool descending = m_sortOrder == Qt::DescendingOrder;
    QPointer<DatasetViewProxy> self(this);
    const int generation = m_generation;
    QThread *thread = QThread::create([self, generation, descending, scan = std::shared_ptr<Scan>(std::move(scan))] {
        std::vector<double> numbers(scan->keys.size());
        bool numeric = true;
        for (size_t i = 0; i < scan->keys.size() && numeric; ++i)
            numbers[i] = scan->keys[i].toDouble(&numeric);
        std::vector<int> order(scan->kept.size());
        for (size_t i = 0; i < order.size(); ++i)
            order[i] = int(i);
        std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
            const int cmp = numeric ? (numbers[size_t(a)] < numbers[size_t(b)] ? -1 : numbers[size_t(a)] > numbers[size_t(b)])
                                    : scan->keys[size_t(a)].compare(scan->keys[size_t(b)], Qt::CaseInsensitive);
            return descending ? cmp > 0 : cmp < 0;
        });
        auto rows = std::make_shared<std::vector<int>>(order.size());
        for (size_t i = 0; i < order.size(); ++i)
            (*rows)[i] = scan->kept[size_t(order[i])];
        QMetaObject::invokeMethod(qApp, [self, generation, rows] {
            if (!self || self->m_generation != generation)
                return;
            self->apply(std::move(*rows));
            self->setBusy(false);
        }, Qt::QueuedConnection);
    });
    connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    thread->start();
}

void DatasetViewProxy::apply(std::optional<std::vector<int>> rows)
{
    beginResetModel();
    m_rows = std::move(rows);
    rebuildInverse();
    endResetModel();
}

void DatasetViewProxy::findNext(const QString &text, const QModelIndex &after,
                                std::function<void(const QModelIndex &)> found)
{
    cancel();
    const int rows = rowCount();
    const int columns = columnCount();
    if (text.isEmpty() || rows == 0 || columns == 0) {
        found({});
        return;
    }
    // Cells in reading order from the one after `after`, once around.
    const qint64 total = qint64(rows) * columns;
    const qint64 start = after.isValid() ? (qint64(after.row()) * columns + after.column() + 1) % total : 0;
    auto position = std::make_shared<qint64>(0);
    setBusy(true);
    auto stepFind = std::make_shared<std::function<void()>>();
    *stepFind = [this, text, total, start, columns, position, found, generation = m_generation,
                 weak = std::weak_ptr<std::function<void()>>(stepFind)] {
        if (generation != m_generation)
            return;
        QElapsedTimer slice;
        slice.start();
        while (*position < total && slice.elapsed() < SliceMs) {
            for (qint64 end = std::min(total, *position + 2048); *position < end; ++*position) {
                const qint64 cell = (start + *position) % total;
                const QModelIndex at = index(int(cell / columns), int(cell % columns));
                if (table()->cellText(mapToSource(at).row(), at.column()).contains(text, Qt::CaseInsensitive)) {
                    setBusy(false);
                    found(at);
                    return;
                }
            }
        }
        Q_EMIT progress(int(*position / columns), int(total / columns));
        if (*position >= total) {
            setBusy(false);
            found({});
            return;
        }
        QTimer::singleShot(0, this, [next = weak.lock()] {
            if (next)
                (*next)();
        });
    };
    QTimer::singleShot(0, this, [stepFind] {
        if (*stepFind)
            (*stepFind)();
    });
}

} // namespace invoke::ui
