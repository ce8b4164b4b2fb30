#pragma once
#include "core/agenttests/caseresult.h"
#include "ui/tests/testsmodel.h"

#include <QtWidgets/QWidget>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTreeWidget;

namespace invoke::ui {

// The selected case of the Tests panel: what it runs, how it stands, each failed
// assertion as written next to what it expected and what the run gave, and its
// expectations as JSON lines to edit (Apply checks each line as the file parser would,
// and hands them on; the panel makes it one undoable edit).
class CaseDetailView : public QWidget
{
    Q_OBJECT
public:
    explicit CaseDetailView(QWidget *parent = nullptr);

    // `result` may be nullptr (never run). `editable` is false while tests run.
    void showCase(const agenttests::TestCase &testCase, CaseState state, const agenttests::CaseResult *result);
    void clear();
    void setEditable(bool editable);

    QTreeWidget *failureList() const { return m_failures; }
    QPlainTextEdit *expectationEditor() const { return m_expect; }
    QPushButton *applyButton() const { return m_apply; }
    QLabel *problemLabel() const { return m_problem; }

Q_SIGNALS:
    void expectationsEdited(const QList<invoke::agenttests::Assertion> &expect);

private:
    void apply();

    QLabel *m_heading;
    QLabel *m_status;
    QTreeWidget *m_failures;
    QPlainTextEdit *m_expect;
    QPushButton *m_apply;
    QLabel *m_problem;
    QString m_shownText; // the expectations as shown, to tell an edit
};

} // namespace invoke::ui
