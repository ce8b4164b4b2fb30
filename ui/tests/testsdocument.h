#pragma once
#include "core/agenttests/testcase.h"

#include <QtCore/QObject>

class QUndoStack;

namespace invoke::ui {

// One *.tests.json file open in the Tests panel: its cases in file order, and an undo
// stack every change goes through (add, remove, rename a case, edit its expectations),
// as MockSetDocument does for a mock set. Modified = the stack is not at its clean index.
// Saved whole, in the stable layout of core/model/mocksetio.h, atomically.
class TestsDocument : public QObject
{
    Q_OBJECT
public:
    // A document for `filePath` holding `file`'s cases (an empty one for a new file).
    TestsDocument(const QString &filePath, agenttests::TestFile file, QObject *parent = nullptr);
    ~TestsDocument() override;

    QString filePath() const { return m_filePath; }
    QString displayName() const;
    int count() const { return int(m_cases.size()); }
    const agenttests::TestCase &testCase(int row) const { return m_cases.at(row); }
    int rowOf(const QString &name) const;
    // Why `name` cannot name a case (empty, or another case has it), or empty.
    QString checkName(const QString &name, int exceptRow = -1) const;
    // A name no case has yet: `base`, else "base (2)", "base (3)", …
    QString freeName(const QString &base) const;

    // Undoable. addCase refuses a taken name (`error` says why) and returns the new row.
    int addCase(const agenttests::TestCase &testCase, QString *error = nullptr);
    void removeCase(int row);
    bool renameCase(int row, const QString &name, QString *error = nullptr);
    void setExpectations(int row, const QList<agenttests::Assertion> &expect);
    int duplicateCase(int row);

    bool save(QString *error = nullptr);
    bool isModified() const;
    QUndoStack *undoStack() const { return m_undo; }

Q_SIGNALS:
    void caseAboutToBeInserted(int row);
    void caseInserted(int row);
    void caseAboutToBeRemoved(int row);
    void caseRemoved(int row);
    // The case's definition changed (name, expectations): an earlier verdict is stale.
    void caseChanged(int row);
    void modifiedChanged(bool modified);

private:
    friend class TestsCaseCommand;
    void insertCase(int row, const agenttests::TestCase &testCase);
    void takeCase(int row);
    void replaceCase(int row, const agenttests::TestCase &testCase);

    QString m_filePath;
    QList<agenttests::TestCase> m_cases;
    QUndoStack *m_undo;
};

} // namespace invoke::ui
