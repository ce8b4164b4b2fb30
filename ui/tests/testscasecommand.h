#pragma once
#include "core/agenttests/testcase.h"

#include <QtGui/QUndoCommand>

namespace invoke::ui {

class TestsDocument;

// One undoable change of a tests file's case list: insert, remove or replace a case.
class TestsCaseCommand : public QUndoCommand
{
public:
    enum Kind { Insert, Remove, Replace };

    TestsCaseCommand(TestsDocument *document, Kind kind, int row, agenttests::TestCase before,
                     agenttests::TestCase after, const QString &text);

    void redo() override;
    void undo() override;

private:
    TestsDocument *m_document;
    Kind m_kind;
    int m_row;
    agenttests::TestCase m_before;
    agenttests::TestCase m_after;
};

} // namespace invoke::ui
