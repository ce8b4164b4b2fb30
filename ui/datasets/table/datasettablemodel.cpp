#include "ui/datasets/table/datasettablemodel.h"

#include <QtCore/QFileInfo>
#include <QtCore/QSet>
#include <QtGui/QBrush>
#include <QtGui/QColor>
#include <QtGui/QUndoStack>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace invoke::ui {

// Every change is one of these: what to do and how to take it back.
class DatasetTableModel::Command : public QUndoCommand
{
public:
    Command(const QString &text, std::function<void()> redo, std::function<void()> undo)
        : QUndoCommand(text), m_redo(std::move(redo)), m_undo(std::move(undo))
    {
    }
    void redo() override { m_redo(); }
    void undo() override { m_undo(); }

private:
    std::function<void()> m_redo;
    std::function<void()> m_undo;
};

DatasetTableModel::DatasetTableModel(const QString &path, QObject *parent)
    : QAbstractTableModel(parent), m_format(TableFormat::Csv), m_savePath(path), m_undo(new QUndoStack(this))
{
    attach(new TableFile(path, this));
    connect(m_undo, &QUndoStack::cleanChanged, this, [this] { Q_EMIT modifiedChanged(isModified()); });
}

DatasetTableModel::DatasetTableModel(const QString &savePath, const QStringList &columns, QObject *parent)
    : QAbstractTableModel(parent),
      m_format(QFileInfo(savePath).suffix().compare(u"csv"_s, Qt::CaseInsensitive) == 0 ? TableFormat::Csv
                                                                                       : TableFormat::JsonLines),
      m_savePath(savePath), m_identity(false), m_undo(new QUndoStack(this))
{
    for (const QString &name : columns)
        m_columns.append({m_nextColumnId++, name, -1});
    connect(m_undo, &QUndoStack::cleanChanged, this, [this] { Q_EMIT modifiedChanged(isModified()); });
}

DatasetTableModel::~DatasetTableModel() = default;

void DatasetTableModel::attach(TableFile *file)
{
    m_file = file;
    m_format = file->format();
    m_identity = true;
    m_fileRows = 0;
    m_order.clear();
    m_edits.clear();
    m_columns.clear();
    for (qsizetype c = 0; c < file->columns().size(); ++c)
        m_columns.append({m_nextColumnId++, file->columns().at(c), int(c)});
    connect(file, &TableFile::rowsAppended, this, [this](qint64 first, qint64 last) {
        Q_UNUSED(first);
        if (m_identity) {
            beginInsertRows({}, int(m_fileRows), int(last));
            m_fileRows = last + 1;
            endInsertRows();
            return;
        }
        // Rows were added or removed before the file was read to its end: the rest of the
        // file's rows go after every row there is.
        const int at = rowCount();
        beginInsertRows({}, at, at + int(last - m_fileRows));
        for (qint64 ref = m_fileRows; ref <= last; ++ref)
            m_order.push_back(ref);
        m_fileRows = last + 1;
        endInsertRows();
    });
    connect(file, &TableFile::columnsAppended, this, [this](int first, int last) {
        const int at = int(m_columns.size());
        beginInsertColumns({}, at, at + last - first);
        for (int c = first; c <= last; ++c)
            m_columns.append({m_nextColumnId++, m_file->columns().at(c), c});
        endInsertColumns();
    });
}

void DatasetTableModel::setSavePath(const QString &path, bool pending)
{
    m_savePath = path;
    m_pendingWrite = pending;
    Q_EMIT modifiedChanged(isModified());
}

void DatasetTableModel::setInitialRows(const QList<Json> &rows)
{
    beginResetModel();
    m_identity = false;
    for (const Json &row : rows) {
        const qint64 ref = m_nextNewRef--;
        m_order.push_back(ref);
        for (qsizetype c = 0; c < m_columns.size() && c < qsizetype(row.size()); ++c) {
            const Json &value = row.at(size_t(c));
            if (m_format == TableFormat::Csv)
                m_edits[ref].insert(m_columns.at(c).id, Cell(value.is_string() ? value.get<std::string>()
                                                                : value.is_null() ? std::string() : value.dump()));
            else if (!value.is_null())
                m_edits[ref].insert(m_columns.at(c).id, parseOrderedJson(QByteArray::fromStdString(value.dump())));
        }
    }
    endResetModel();
}

bool DatasetTableModel::isModified() const
{
    return !m_undo->isClean() || !m_file || m_pendingWrite;
}

void DatasetTableModel::setRequiredFixes(const QList<LoadProblem> &badLines)
{
    m_requiredFixes = badLines;
    if (!badLines.isEmpty() && rowCount() > 0)
        Q_EMIT headerDataChanged(Qt::Vertical, 0, rowCount() - 1);
}

bool DatasetTableModel::rowsRewritten() const
{
    // Columns added, removed or moved: every row is written again in the new shape.
    for (qsizetype c = 0; c < m_columns.size(); ++c)
        if (m_columns.at(c).source != int(c))
            return true;
    return m_file && m_columns.size() != m_file->columns().size();
}

QList<LoadProblem> DatasetTableModel::remainingFixes() const
{
    if (m_requiredFixes.isEmpty() || !m_file || rowsRewritten())
        return {};
    QSet<qint64> present;
    if (!m_identity)
        for (qint64 ref : m_order)
            present.insert(ref);
    QList<LoadProblem> left;
    for (const LoadProblem &problem : m_requiredFixes) {
        const qint64 ref = m_file->rowOfLine(problem.line);
        const bool header = m_format == TableFormat::Csv && ref < 0 && problem.line <= m_file->lineOf(0);
        const bool fixed = !header && ref >= 0 && (m_edits.contains(ref) || (!m_identity && !present.contains(ref)));
        if (!fixed)
            left.append(problem);
    }
    return left;
}

int DatasetTableModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid())
        return 0;
    return m_identity ? int(m_fileRows) : int(m_order.size());
}

int DatasetTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_columns.size());
}

Cell DatasetTableModel::cell(qint64 ref, const Column &column) const
{
    const auto edited = m_edits.constFind(ref);
    if (edited != m_edits.cend()) {
        const auto value = edited->constFind(column.id);
        if (value != edited->cend())
            return *value;
    }
    if (ref >= 0 && column.source >= 0 && m_file) {
        const TableRow &row = m_file->row(ref);
        if (column.source < row.cells.size())
            return row.cells.at(column.source);
    }
    return m_format == TableFormat::Csv ? Cell(std::string()) : Cell(Cell::value_t::discarded);
}

QString DatasetTableModel::cellText(int row, int column) const
{
    if (row < 0 || row >= rowCount() || column < 0 || column >= m_columns.size())
        return {};
    return textOfCell(cell(refOf(row), m_columns.at(column)));
}

std::vector<qint64> DatasetTableModel::rowRefs() const
{
    if (!m_identity)
        return m_order;
    std::vector<qint64> refs(static_cast<size_t>(rowCount()));
    for (size_t i = 0; i < refs.size(); ++i)
        refs[i] = qint64(i);
    return refs;
}

int DatasetTableModel::columnSource(int column) const
{
    return column >= 0 && column < m_columns.size() ? m_columns.at(column).source : -1;
}

QHash<qint64, QStringList> DatasetTableModel::editedRowTexts(const QList<int> &columns) const
{
    QHash<qint64, QStringList> texts;
    for (auto it = m_edits.cbegin(); it != m_edits.cend(); ++it) {
        QStringList row;
        for (const int column : columns)
            row.append(column >= 0 && column < m_columns.size() ? textOfCell(cell(it.key(), m_columns.at(column)))
                                                                : QString());
        texts.insert(it.key(), row);
    }
    return texts;
}

QString DatasetTableModel::rowProblem(int row) const
{
    const qint64 ref = refOf(row);
    if (ref < 0 || !m_file || m_edits.contains(ref))
        return {};
    return m_file->row(ref).problem;
}

int DatasetTableModel::lineOf(int row) const
{
    const qint64 ref = refOf(row);
    return ref >= 0 && m_file ? m_file->lineOf(ref) : 0;
}

QList<int> DatasetTableModel::knownBadRows() const
{
    QList<int> rows;
    if (!m_file)
        return rows;
    for (qint64 ref : m_file->knownBadRows()) {
        if (m_edits.contains(ref))
            continue;
        const int row = rowOfRef(ref);
        if (row >= 0)
            rows.append(row);
    }
    std::sort(rows.begin(), rows.end());
    return rows;
}

int DatasetTableModel::rowOfLine(int line) const
{
    if (!m_file)
        return -1;
    const qint64 ref = m_file->rowOfLine(line);
    return ref < 0 ? -1 : rowOfRef(ref);
}

int DatasetTableModel::rowOfRef(qint64 ref) const
{
    if (m_identity)
        return ref >= 0 && ref < rowCount() ? int(ref) : -1;
    const auto it = std::find(m_order.begin(), m_order.end(), ref);
    return it == m_order.end() ? -1 : int(it - m_order.begin());
}

QVariant DatasetTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.model() != this || index.row() >= rowCount() || index.column() >= columnCount())
        return {};
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        return cellText(index.row(), index.column());
    case Qt::ToolTipRole:
        return rowProblem(index.row()).isEmpty() ? QVariant() : QVariant(rowProblem(index.row()));
    case Qt::BackgroundRole:
        return rowProblem(index.row()).isEmpty() ? QVariant() : QVariant(QBrush(QColor(255, 220, 220)));
    case Qt::ForegroundRole:
        return rowProblem(index.row()).isEmpty() ? QVariant() : QVariant(QBrush(QColor(60, 0, 0)));
    default:
        return {};
    }
}

QVariant DatasetTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal) {
        if (section < 0 || section >= m_columns.size())
            return {};
        return role == Qt::DisplayRole || role == Qt::EditRole ? QVariant(m_columns.at(section).name) : QVariant();
    }
    if (section < 0 || section >= rowCount())
        return {};
    const int line = lineOf(section);
    switch (role) {
    case Qt::DisplayRole:
        return line > 0 ? QVariant(QString::number(line)) : QVariant(u"+"_s);
    case Qt::ToolTipRole:
        return line > 0 ? tr("Line %1 of the file").arg(line) + (rowProblem(section).isEmpty() ? QString()
                                                                     : u": "_s + rowProblem(section))
                        : tr("A row added here");
    case Qt::ForegroundRole:
        return rowProblem(section).isEmpty() ? QVariant() : QVariant(QBrush(QColor(180, 0, 0)));
    default:
        return {};
    }
}

Qt::ItemFlags DatasetTableModel::flags(const QModelIndex &index) const
{
    if (!index.isValid() || index.model() != this || index.row() >= rowCount() || index.column() >= columnCount())
        return Qt::NoItemFlags;
    return Qt::ItemIsSelectable | Qt::ItemIsEnabled | Qt::ItemIsEditable | Qt::ItemNeverHasChildren;
}

Cell DatasetTableModel::cellFromText(const QString &text, const Cell &old) const
{
    if (m_format == TableFormat::Csv || old.is_string())
        return Cell(toStd(text));
    if (text.isEmpty())
        return old.is_discarded() ? old : Cell(std::string());
    // JSON Lines: what reads as JSON (a number, true, null, an object) is kept as JSON.
    QString error;
    Cell value = parseOrderedJson(text.toUtf8(), &error);
    return value.is_discarded() ? Cell(toStd(text)) : value;
}

bool DatasetTableModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::EditRole || !index.isValid() || index.model() != this || index.row() >= rowCount()
        || index.column() >= columnCount())
        return false;
    const qint64 ref = refOf(index.row());
    const Column column = m_columns.at(index.column());
    const Cell old = cell(ref, column);
    const Cell now = cellFromText(value.toString(), old);
    if (now == old && rowProblem(index.row()).isEmpty()) // a bad row's edit fixes it, even to the same text
        return true;
    std::optional<Cell> before;
    if (m_edits.contains(ref) && m_edits.value(ref).contains(column.id))
        before = m_edits.value(ref).value(column.id);
    const bool rowWasEdited = m_edits.contains(ref);
    m_undo->push(new Command(
        tr("Edit %1").arg(column.name), [this, ref, id = column.id, now] { applyCell(ref, id, now); },
        [this, ref, id = column.id, before, rowWasEdited] {
            applyCell(ref, id, before);
            if (!rowWasEdited && m_edits.value(ref).isEmpty())
                m_edits.remove(ref);
            const int row = rowOfRef(ref);
            if (row >= 0)
                Q_EMIT dataChanged(this->index(row, 0), this->index(row, columnCount() - 1));
        }));
    return true;
}

void DatasetTableModel::applyCell(qint64 ref, int columnId, const std::optional<Cell> &value)
{
    if (value)
        m_edits[ref].insert(columnId, *value);
    else if (m_edits.contains(ref))
        m_edits[ref].remove(columnId);
    const int row = rowOfRef(ref);
    if (row < 0)
        return;
    // The whole row: an edit also clears the row's problem (it is written anew).
    Q_EMIT dataChanged(index(row, 0), index(row, columnCount() - 1));
    Q_EMIT headerDataChanged(Qt::Vertical, row, row);
}

void DatasetTableModel::materializeOrder()
{
    if (!m_identity)
        return;
    m_order.resize(size_t(rowCount()));
    for (size_t i = 0; i < m_order.size(); ++i)
        m_order[i] = qint64(i);
    m_identity = false;
}

void DatasetTableModel::placeRows(int row, const std::vector<qint64> &refs)
{
    materializeOrder();
    beginInsertRows({}, row, row + int(refs.size()) - 1);
    m_order.insert(m_order.begin() + row, refs.begin(), refs.end());
    endInsertRows();
}

std::vector<qint64> DatasetTableModel::takeRows(int row, int count)
{
    materializeOrder();
    beginRemoveRows({}, row, row + count - 1);
    std::vector<qint64> taken(m_order.begin() + row, m_order.begin() + row + count);
    m_order.erase(m_order.begin() + row, m_order.begin() + row + count);
    endRemoveRows();
    return taken;
}

bool DatasetTableModel::insertRows(int row, int count, const QModelIndex &parent)
{
    if (parent.isValid() || !canChangeRows() || row < 0 || row > rowCount() || count < 1)
        return false;
    std::vector<qint64> refs;
    for (int i = 0; i < count; ++i)
        refs.push_back(m_nextNewRef--);
    m_undo->push(new Command(tr("Add %n row(s)", nullptr, count), [this, row, refs] { placeRows(row, refs); },
                             [this, row, count] { takeRows(row, count); }));
    return true;
}

bool DatasetTableModel::removeRows(int row, int count, const QModelIndex &parent)
{
    if (parent.isValid() || !canChangeRows() || row < 0 || count < 1 || row + count > rowCount())
        return false;
    auto taken = std::make_shared<std::vector<qint64>>();
    m_undo->push(new Command(
        tr("Remove %n row(s)", nullptr, count), [this, row, count, taken] { *taken = takeRows(row, count); },
        [this, row, taken] { placeRows(row, *taken); }));
    return true;
}

void DatasetTableModel::removeRowList(QList<int> rows)
{
    std::sort(rows.begin(), rows.end(), std::greater<int>());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    if (rows.isEmpty() || !canChangeRows())
        return;
    m_undo->beginMacro(tr("Remove %n row(s)", nullptr, int(rows.size())));
    for (int row : std::as_const(rows)) // highest first: the others keep their place
        removeRows(row, 1);
    m_undo->endMacro();
}

QString DatasetTableModel::checkName(const QString &name, int exceptColumn) const
{
    if (name.trimmed().isEmpty())
        return tr("A column needs a name.");
    for (qsizetype c = 0; c < m_columns.size(); ++c)
        if (c != exceptColumn && m_columns.at(c).name == name)
            return tr("There is already a column \"%1\".").arg(name);
    return {};
}

void DatasetTableModel::placeColumn(int position, const Column &column)
{
    beginInsertColumns({}, position, position);
    m_columns.insert(position, column);
    endInsertColumns();
}

DatasetTableModel::Column DatasetTableModel::takeColumn(int position)
{
    beginRemoveColumns({}, position, position);
    const Column column = m_columns.takeAt(position);
    endRemoveColumns();
    return column;
}

bool DatasetTableModel::insertColumnNamed(int column, const QString &name, QString *error)
{
    const QString why = checkName(name, -1);
    if (!why.isEmpty() || column < 0 || column > columnCount()) {
        if (error)
            *error = why.isEmpty() ? tr("No such place for a column.") : why;
        return false;
    }
    const Column added{m_nextColumnId++, name, -1};
    m_undo->push(new Command(tr("Add column %1").arg(name), [this, column, added] { placeColumn(column, added); },
                             [this, column] { takeColumn(column); }));
    return true;
}

bool DatasetTableModel::insertColumns(int column, int count, const QModelIndex &parent)
{
    if (parent.isValid() || count < 1)
        return false;
    m_undo->beginMacro(tr("Add %n column(s)", nullptr, count));
    for (int i = 0; i < count; ++i) {
        int n = int(m_columns.size()) + 1;
        while (!checkName(tr("column %1").arg(n), -1).isEmpty())
            ++n;
        insertColumnNamed(column + i, tr("column %1").arg(n));
    }
    m_undo->endMacro();
    return true;
}

bool DatasetTableModel::removeColumns(int column, int count, const QModelIndex &parent)
{
    if (parent.isValid() || column < 0 || count < 1 || column + count > columnCount())
        return false;
    m_undo->beginMacro(tr("Remove %n column(s)", nullptr, count));
    for (int i = count - 1; i >= 0; --i) {
        auto taken = std::make_shared<Column>(m_columns.at(column + i));
        m_undo->push(new Command(tr("Remove column %1").arg(taken->name),
                                 [this, at = column + i, taken] { *taken = takeColumn(at); },
                                 [this, at = column + i, taken] { placeColumn(at, *taken); }));
    }
    m_undo->endMacro();
    return true;
}

void DatasetTableModel::applyName(int columnId, const QString &name)
{
    for (qsizetype c = 0; c < m_columns.size(); ++c)
        if (m_columns.at(c).id == columnId) {
            m_columns[c].name = name;
            Q_EMIT headerDataChanged(Qt::Horizontal, int(c), int(c));
        }
}

bool DatasetTableModel::renameColumn(int column, const QString &name, QString *error)
{
    const QString why = column < 0 || column >= columnCount() ? tr("No such column.") : checkName(name, column);
    if (!why.isEmpty()) {
        if (error)
            *error = why;
        return false;
    }
    const Column old = m_columns.at(column);
    if (old.name == name)
        return true;
    m_undo->push(new Command(tr("Rename column %1").arg(old.name), [this, id = old.id, name] { applyName(id, name); },
                             [this, id = old.id, before = old.name] { applyName(id, before); }));
    return true;
}

QString DatasetTableModel::columnName(int column) const
{
    return column >= 0 && column < m_columns.size() ? m_columns.at(column).name : QString();
}

QStringList DatasetTableModel::columnNames() const
{
    QStringList names;
    for (const Column &c : m_columns)
        names.append(c.name);
    return names;
}

} // namespace invoke::ui
