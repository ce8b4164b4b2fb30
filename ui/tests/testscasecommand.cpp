#include "ui/tests/testscasecommand.h"
#include "ui/tests/testsdocument.h"

namespace invoke::ui {

TestsCaseCommand::TestsCaseCommand(TestsDocument *document, Kind kind, int row, agenttests::TestCase before,
                                   agenttests::TestCase after, const QString &text)
    : QUndoCommand(text), m_document(document), m_kind(kind), m_row(row), m_before(std::move(before)),
      m_after(std::move(after))
{
}

void TestsCaseCommand::redo()
{
    switch (m_kind) {
    case Insert: m_document->insertCase(m_row, m_after); break;
    case Remove: m_document->takeCase(m_row); break;
    case Replace: m_document->replaceCase(m_row, m_after); break;
    }
}

void TestsCaseCommand::undo()
{
    switch (m_kind) {
    case Insert: m_document->takeCase(m_row); break;
    case Remove: m_document->insertCase(m_row, m_before); break;
    case Replace: m_document->replaceCase(m_row, m_before); break;
    }
}

} // namespace invoke::ui
