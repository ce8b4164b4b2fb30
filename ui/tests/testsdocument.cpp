#include "ui/tests/testsdocument.h"
#include "ui/tests/testscasecommand.h"

#include "core/model/mocksetio.h"

#include <QtCore/QFileInfo>
#include <QtGui/QUndoStack>

using namespace Qt::StringLiterals;

namespace invoke::ui {

using agenttests::TestCase;

TestsDocument::TestsDocument(const QString &filePath, agenttests::TestFile file, QObject *parent)
    : QObject(parent), m_filePath(filePath), m_cases(std::move(file.cases)), m_undo(new QUndoStack(this))
{
    connect(m_undo, &QUndoStack::cleanChanged, this, [this](bool clean) { Q_EMIT modifiedChanged(!clean); });
}

TestsDocument::~TestsDocument() = default;

QString TestsDocument::displayName() const
{
    return QFileInfo(m_filePath).fileName();
}

int TestsDocument::rowOf(const QString &name) const
{
    for (int row = 0; row < m_cases.size(); ++row)
        if (m_cases.at(row).name == name)
            return row;
    return -1;
}

QString TestsDocument::checkName(const QString &name, int exceptRow) const
{
    if (name.trimmed().isEmpty())
        return tr("A test case needs a name.");
    const int row = rowOf(name);
    if (row >= 0 && row != exceptRow)
        return tr("“%1” already names a case in %2.").arg(name, displayName());
    return {};
}

QString TestsDocument::freeName(const QString &base) const
{
    if (rowOf(base) < 0)
        return base;
    for (int n = 2;; ++n)
        if (const QString name = u"%1 (%2)"_s.arg(base).arg(n); rowOf(name) < 0)
            return name;
}

int TestsDocument::addCase(const TestCase &testCase, QString *error)
{
    if (const QString why = checkName(testCase.name); !why.isEmpty()) {
        if (error)
            *error = why;
        return -1;
    }
    const int row = count();
    m_undo->push(new TestsCaseCommand(this, TestsCaseCommand::Insert, row, {}, testCase,
                                      tr("Add “%1”").arg(testCase.name)));
    return row;
}

void TestsDocument::removeCase(int row)
{
    m_undo->push(new TestsCaseCommand(this, TestsCaseCommand::Remove, row, m_cases.at(row), {},
                                      tr("Remove “%1”").arg(m_cases.at(row).name)));
}

bool TestsDocument::renameCase(int row, const QString &name, QString *error)
{
    if (name == m_cases.at(row).name)
        return true;
    if (const QString why = checkName(name, row); !why.isEmpty()) {
        if (error)
            *error = why;
        return false;
    }
    TestCase after = m_cases.at(row);
    after.name = name;
    m_undo->push(new TestsCaseCommand(this, TestsCaseCommand::Replace, row, m_cases.at(row), after,
                                      tr("Rename “%1”").arg(m_cases.at(row).name)));
    return true;
}

void TestsDocument::setExpectations(int row, const QList<agenttests::Assertion> &expect)
{
    TestCase after = m_cases.at(row);
    after.expect = expect;
    m_undo->push(new TestsCaseCommand(this, TestsCaseCommand::Replace, row, m_cases.at(row), after,
                                      tr("Edit the expectations of “%1”").arg(after.name)));
}

int TestsDocument::duplicateCase(int row)
{
    TestCase copy = m_cases.at(row);
    copy.name = freeName(copy.name + tr(" (copy)"));
    copy.line = 0;
    const int at = row + 1;
    m_undo->push(new TestsCaseCommand(this, TestsCaseCommand::Insert, at, {}, copy,
                                      tr("Duplicate “%1”").arg(m_cases.at(row).name)));
    return at;
}

bool TestsDocument::save(QString *error)
{
    agenttests::TestFile file;
    file.path = m_filePath;
    file.cases = m_cases;
    if (!writeFileAtomically(m_filePath, mockDocumentBytes(file.toJson()), error))
        return false;
    m_undo->setClean();
    return true;
}

bool TestsDocument::isModified() const
{
    return !m_undo->isClean();
}

void TestsDocument::insertCase(int row, const TestCase &testCase)
{
    Q_EMIT caseAboutToBeInserted(row);
    m_cases.insert(row, testCase);
    Q_EMIT caseInserted(row);
}

void TestsDocument::takeCase(int row)
{
    Q_EMIT caseAboutToBeRemoved(row);
    m_cases.removeAt(row);
    Q_EMIT caseRemoved(row);
}

void TestsDocument::replaceCase(int row, const TestCase &testCase)
{
    m_cases[row] = testCase;
    Q_EMIT caseChanged(row);
}

} // namespace invoke::ui
