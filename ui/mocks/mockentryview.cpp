#include "ui/mocks/mockentryview.h"
#include "ui/common/jsonhighlighter.h"
#include "ui/mocks/mocksetdocument.h"
#include "ui/common/statusstyle.h"

#include "core/model/invocation/invokeresult.h"

#include <QtGui/QFontDatabase>
#include <QtGui/QKeyEvent>
#include <QtGui/QUndoStack>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QVBoxLayout>

using namespace Qt::StringLiterals;

namespace invoke::ui {

MockEntryView::MockEntryView(MockSetDocument *document, QWidget *parent)
    : QWidget(parent), m_document(document), m_key(new QLabel(this)), m_status(new QComboBox(this)),
      m_errorLabel(new QLabel(tr("Error:"), this)), m_error(new QLineEdit(this)),
      m_output(new QPlainTextEdit(this)), m_highlighter(new JsonHighlighter(m_output->document())),
      m_problem(new QLabel(this)), m_hint(new QLabel(this))
{
    m_key->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setObjectName(u"mockStatus"_s);
    m_status->addItem(QIcon(u":/icons/status-succeeded.svg"_s), tr("Success — answers with the output"));
    m_status->addItem(QIcon(u":/icons/status-failed.svg"_s), tr("Error — the step fails with the error text"));
    m_error->setObjectName(u"mockError"_s);
    m_error->setPlaceholderText(tr("What the step fails with"));
    m_output->setObjectName(u"mockOutput"_s);
    m_output->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_output->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_output->setTabChangesFocus(true);
    m_output->setPlaceholderText(tr("The output as JSON, e.g. {\"content\": \"Hello\"}"));
    // One history for the whole document: typing is undone through its stack.
    m_output->setUndoRedoEnabled(false);
    m_output->installEventFilter(this);
    m_problem->setObjectName(u"mockProblem"_s);
    m_problem->setWordWrap(true);
    m_problem->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_hint->setWordWrap(true);
    m_hint->setEnabled(false);

    auto *form = new QFormLayout;
    form->setContentsMargins(0, 0, 0, 0);
    form->addRow(tr("Key:"), m_key);
    form->addRow(tr("Status:"), m_status);
    form->addRow(m_errorLabel, m_error);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(form);
    layout->addWidget(new QLabel(tr("Output:"), this));
    layout->addWidget(m_output, 1);
    layout->addWidget(m_problem);
    layout->addWidget(m_hint);

    connect(m_status, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (!m_updating)
            m_document->setSuccess(m_row, index == 0);
    });
    connect(m_error, &QLineEdit::textEdited, this, [this](const QString &text) { m_document->setErrorText(m_row, text); });
    connect(m_output, &QPlainTextEdit::textChanged, this, [this] {
        if (!m_updating)
            m_document->setOutputText(m_row, m_output->toPlainText());
    });
    connect(document, &MockSetDocument::entryChanged, this, [this](int row) {
        if (row == m_row)
            refresh();
    });
    connect(document, &MockSetDocument::entryRemoved, this, [this](int row) {
        if (row == m_row)
            setRow(-1);
        else if (row < m_row)
            --m_row;
    });
    connect(document, &MockSetDocument::entryInserted, this, [this](int row) {
        if (m_row >= 0 && row <= m_row)
            ++m_row;
    });
    connect(document, &MockSetDocument::reset, this, [this] { setRow(-1); });
    m_highlighter->setDark(isDark(palette()));
    setRow(-1);
}

void MockEntryView::setRow(int row)
{
    m_row = row >= 0 && row < m_document->count() ? row : -1;
    refresh();
}

void MockEntryView::setHint(const QString &hint)
{
    m_hint->setText(hint);
    m_hint->setVisible(!hint.isEmpty());
}

void MockEntryView::refresh()
{
    const bool valid = m_row >= 0;
    m_status->setEnabled(valid);
    m_output->setEnabled(valid);
    m_updating = true;
    if (!valid) {
        m_key->setText(tr("<i>No key selected — add one, or pick one in the list.</i>"));
        m_output->clear();
        m_error->clear();
        m_errorLabel->setVisible(false);
        m_error->setVisible(false);
        m_problem->hide();
        m_highlighter->setErrorPosition(-1);
        m_updating = false;
        return;
    }
    const MockEntry &entry = m_document->entry(m_row);
    m_key->setText(u"<b>%1</b>"_s.arg(entry.key.toHtmlEscaped()));
    m_status->setCurrentIndex(entry.success ? 0 : 1);
    m_errorLabel->setVisible(!entry.success);
    m_error->setVisible(!entry.success);
    if (m_error->text() != entry.error)
        m_error->setText(entry.error);
    // Text typed here is already in the document: only an undo or another view's change
    // replaces it, and the cursor stays where it was as far as the text allows.
    if (m_output->toPlainText() != entry.outputText) {
        const int position = m_output->textCursor().position();
        m_output->setPlainText(entry.outputText);
        QTextCursor cursor = m_output->textCursor();
        cursor.setPosition(qMin(position, int(entry.outputText.size())));
        m_output->setTextCursor(cursor);
    }
    m_updating = false;

    const MockEntryProblem &problem = m_document->problem(m_row);
    m_highlighter->setErrorPosition(problem.kind == MockEntryProblem::Syntax ? problem.position : -1);
    if (problem.kind == MockEntryProblem::None) {
        m_problem->hide();
        return;
    }
    const bool blocking = problem.kind != MockEntryProblem::Schema;
    const StepStatus status = blocking ? StepStatus::Error : StepStatus::Cancelled;
    m_problem->setText(statusHtml(status, blocking ? tr("Cannot be saved or run:") : tr("Check:"), palette())
                       + u" "_s + problem.message.toHtmlEscaped().replace(u'\n', u"<br>"_s));
    m_problem->show();
}

bool MockEntryView::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_output && (event->type() == QEvent::ShortcutOverride || event->type() == QEvent::KeyPress)) {
        auto *key = static_cast<QKeyEvent *>(event);
        const bool undo = key->matches(QKeySequence::Undo);
        const bool redo = key->matches(QKeySequence::Redo);
        if (undo || redo) {
            if (event->type() == QEvent::KeyPress)
                undo ? m_document->undoStack()->undo() : m_document->undoStack()->redo();
            event->accept();
            return event->type() == QEvent::KeyPress;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void MockEntryView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        m_highlighter->setDark(isDark(palette()));
    QWidget::changeEvent(event);
}

} // namespace invoke::ui
