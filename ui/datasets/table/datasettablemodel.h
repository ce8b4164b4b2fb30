#pragma once
// A dataset file (CSV or JSON Lines) as an editable table. The rows come from a TableFile
// (ui/datasets/table/tablefile.h), read lazily; every change is kept beside it, never in it: the
// cells edited (by row and column), the order of the rows once rows were added or removed,
// and the columns. Each change goes through the undo stack. Saving writes the file again
// by streaming, row by row: a row nobody touched is copied as the file held it, the
// others are written in the file's own format; atomically (QSaveFile), then the table reads
// the saved file again (line numbers then match what the index and a search say).
#include "ui/datasets/table/tablefile.h"

#include "core/model/botinfo.h"

#include <QtCore/QAbstractTableModel>

#include <optional>

class QUndoStack;

namespace invoke::ui {

class DatasetTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    // The file at `path`, saved back to it.
    explicit DatasetTableModel(const QString &path, QObject *parent = nullptr);
    // A dataset that has no file yet: these columns, no rows; saved to `savePath` (its
    // suffix picks the format).
    DatasetTableModel(const QString &savePath, const QStringList &columns, QObject *parent = nullptr);
    ~DatasetTableModel() override;

    TableFile *file() const { return m_file; }
    TableFormat format() const { return m_format; }
    QString savePath() const { return m_savePath; }
    // Saving writes here instead. `pending`: the table is unsaved until then (an import
    // into the datasets folder); else only its edits are (a bundled dataset saved as the user's copy).
    void setSavePath(const QString &path, bool pending);
    // The first rows of a dataset that has no file yet (JSON arrays in column order); not undoable.
    void setInitialRows(const QList<Json> &rows);
    QUndoStack *undoStack() const { return m_undo; }
    bool isModified() const;
    // Rows can be added and removed at once, while the file is still being read (its
    // rows found later go at the end); saving waits until it was read to its end.
    bool canChangeRows() const { return true; }

    // An import: these lines of the file do not read; saving is refused until each row
    // holding one was edited or removed.
    void setRequiredFixes(const QList<LoadProblem> &badLines);
    QList<LoadProblem> remainingFixes() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    // Undoable: add empty rows / remove rows; add an empty column named "column N" / remove columns.
    bool insertRows(int row, int count, const QModelIndex &parent = {}) override;
    bool removeRows(int row, int count, const QModelIndex &parent = {}) override;
    bool insertColumns(int column, int count, const QModelIndex &parent = {}) override;
    bool removeColumns(int column, int count, const QModelIndex &parent = {}) override;

    // Removes these rows (any order) as one undo step.
    void removeRowList(QList<int> rows);
    // Adds a column named `name` at `column` (undoable); false with `error` when the name is taken or empty.
    bool insertColumnNamed(int column, const QString &name, QString *error = nullptr);
    bool renameColumn(int column, const QString &name, QString *error = nullptr);
    QString columnName(int column) const;
    QStringList columnNames() const;

    QString cellText(int row, int column) const;
    // For a scan of every row off the GUI thread (ui/datasets/table/datasetviewproxy.h): each
    // row's ref in order (>= 0 the file's row, < 0 a row added here), a column's place in
    // the file (-1: added here), and the text of `columns` for every row that has an edit.
    std::vector<qint64> rowRefs() const;
    int columnSource(int column) const;
    QHash<qint64, QStringList> editedRowTexts(const QList<int> &columns) const;
    // Why the row does not read as the file holds it (empty when it does, or once edited).
    QString rowProblem(int row) const;
    int lineOf(int row) const;
    // The rows known not to read (ragged CSV rows, lines that are not JSON) and not edited since.
    QList<int> knownBadRows() const;
    // The row holding line `line` of the file, or -1 (rows added since do not count).
    int rowOfLine(int line) const;

    bool save(QString *error);

Q_SIGNALS:
    void modifiedChanged(bool modified);
    // The file was saved and read again (the rows, their lines and the undo history are new).
    void saved(const QString &path);

private:
    struct Column
    {
        int id;
        QString name;
        int source; // index in the file's columns, or -1 for a column added here
    };
    class Command;
    friend class Command;

    void attach(TableFile *file);
    qint64 refOf(int row) const { return m_identity ? row : m_order[size_t(row)]; }
    int rowOfRef(qint64 ref) const;
    void materializeOrder();
    Cell cell(qint64 ref, const Column &column) const;
    Cell cellFromText(const QString &text, const Cell &old) const;
    void applyCell(qint64 ref, int columnId, const std::optional<Cell> &value);
    void placeRows(int row, const std::vector<qint64> &refs);
    std::vector<qint64> takeRows(int row, int count);
    void placeColumn(int position, const Column &column);
    Column takeColumn(int position);
    void applyName(int columnId, const QString &name);
    QString checkName(const QString &name, int exceptColumn) const;
    bool rowsRewritten() const;
    QByteArray serialize(qint64 ref) const;
    bool write(QIODevice &out, QString *error);

    TableFile *m_file = nullptr;
    TableFormat m_format;
    QString m_savePath;
    QList<Column> m_columns;
    int m_nextColumnId = 0;
    bool m_identity = true;          // row r is the file's row r (no row added or removed yet)
    qint64 m_fileRows = 0;           // the file's rows shown so far (while identity)
    std::vector<qint64> m_order;     // else: each row's ref (>= 0 a file row, < 0 an added row)
    qint64 m_nextNewRef = -1;
    QHash<qint64, QHash<int, Cell>> m_edits; // by ref, then column id
    QList<LoadProblem> m_requiredFixes;
    bool m_pendingWrite = false;
    QUndoStack *m_undo;
};

} // namespace invoke::ui
