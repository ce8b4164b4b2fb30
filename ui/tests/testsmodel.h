#pragma once
#include "core/agenttests/caseresult.h"

#include <QtCore/QAbstractItemModel>

#include <memory>
#include <vector>

namespace invoke::ui {

class TestsDocument;

// Where a case stands in the Tests panel.
enum class CaseState { NotRun, Queued, Running, Passed, Failed, Error };
QString caseStateLabel(CaseState state); // "not run", "queued", "running", "passed", "failed", "error"

// The Tests panel's red/green list: one row per open tests file, its cases under it, each
// with its state (an icon and the word) and, once it ran, its verdict (CaseResult: the
// failures and the run with its events). Two columns: the name, and the time (a case's
// run) or the tally (a file). It follows its documents' edits; a case whose definition
// changes goes back to "not run", since its verdict no longer says anything about it.
class TestsModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Role {
        StateRole = Qt::UserRole + 1, // int(CaseState); a file: the worst state of its cases
        IsFileRole,                   // bool
    };
    enum Column { NameColumn, TimeColumn, ColumnCount };

    explicit TestsModel(QObject *parent = nullptr);
    ~TestsModel() override;

    // Adds an open file (the model owns it from now on); returns its row.
    int addDocument(TestsDocument *document);
    void removeDocument(int row);
    int documentCount() const { return int(m_files.size()); }
    TestsDocument *document(int row) const;
    int documentRowOf(const QString &filePath) const;

    // Indexes and what they point at (a file row: the case row is -1).
    QModelIndex indexOfFile(const TestsDocument *document) const;
    QModelIndex indexOfCase(const TestsDocument *document, int caseRow) const;
    TestsDocument *documentAt(const QModelIndex &index) const;
    int caseRowAt(const QModelIndex &index) const;

    CaseState state(const TestsDocument *document, int caseRow) const;
    // The verdict of the case's last run, or nullptr when it has not finished one.
    const agenttests::CaseResult *result(const TestsDocument *document, int caseRow) const;
    void setState(const TestsDocument *document, int caseRow, CaseState state);
    void setResult(const TestsDocument *document, int caseRow, const agenttests::CaseResult &result);
    // Every case back to "not run" (their verdicts dropped).
    void clearResults();

    struct Summary
    {
        int cases = 0;
        int passed = 0;
        int failed = 0;
        int errors = 0;
        int running = 0; // queued or running
        qint64 durationMs = 0; // the sum of the finished cases' runs
    };
    Summary summary() const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    // A state or verdict changed, or cases came or went.
    void summaryChanged();

private:
    struct Slot
    {
        CaseState state = CaseState::NotRun;
        std::shared_ptr<const agenttests::CaseResult> result;
    };
    struct File
    {
        TestsDocument *document;
        QList<Slot> caseSlots;
    };
    File *fileOf(const TestsDocument *document) const;
    int fileRowOf(const File *file) const;
    void fileChanged(File *file);
    CaseState worstState(const File &file) const;

    std::vector<std::unique_ptr<File>> m_files; // stable addresses: a case index points at its File
};

} // namespace invoke::ui
