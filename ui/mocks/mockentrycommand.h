#pragma once
#include "ui/mocks/mocksetdocument.h"

#include <QtGui/QUndoCommand>

namespace invoke::ui {

// One undoable change of the entry list: insert, remove or replace a row. Output and
// error edits of the same key merge, so undo takes back a run of typing, not one character.
class MockEntryCommand : public QUndoCommand
{
public:
    enum Kind { Insert, Remove, Replace };
    static constexpr int EditId = 1;

    MockEntryCommand(MockSetDocument *document, Kind kind, int row, MockEntry before, MockEntry after,
                     const QString &text, bool mergeable = false);

    int id() const override { return m_mergeable ? EditId : -1; }
    bool mergeWith(const QUndoCommand *other) override;
    void redo() override;
    void undo() override;

private:
    MockSetDocument *m_document;
    Kind m_kind;
    int m_row;
    MockEntry m_before;
    MockEntry m_after;
    bool m_mergeable;
};

} // namespace invoke::ui
