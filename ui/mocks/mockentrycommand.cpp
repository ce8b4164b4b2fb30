#include "ui/mocks/mockentrycommand.h"

namespace invoke::ui {

MockEntryCommand::MockEntryCommand(MockSetDocument *document, Kind kind, int row, MockEntry before, MockEntry after,
                                   const QString &text, bool mergeable)
    : QUndoCommand(text), m_document(document), m_kind(kind), m_row(row), m_before(std::move(before)),
      m_after(std::move(after)), m_mergeable(mergeable)
{
}

bool MockEntryCommand::mergeWith(const QUndoCommand *other)
{
    auto *next = static_cast<const MockEntryCommand *>(other);
    if (next->m_row != m_row || next->m_before.key != m_after.key)
        return false;
    m_after = next->m_after;
    return true;
}

void MockEntryCommand::redo()
{
    switch (m_kind) {
    case Insert: m_document->insertEntry(m_row, m_after); break;
    case Remove: m_document->removeEntry(m_row); break;
    case Replace: m_document->replaceEntry(m_row, m_after); break;
    }
}

void MockEntryCommand::undo()
{
    switch (m_kind) {
    case Insert: m_document->removeEntry(m_row); break;
    case Remove: m_document->insertEntry(m_row, m_before); break;
    case Replace: m_document->replaceEntry(m_row, m_before); break;
    }
}

} // namespace invoke::ui
