#include "ui/tests/casedetailview.h"
#include "ui/tests/assertionlines.h"

#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QTreeWidget>
#include <QtWidgets/QVBoxLayout>

using namespace Qt::StringLiterals;

namespace invoke::ui {

namespace {

// A value as a person reads it: a string without quotes, anything else as compact JSON.
QString shown(const Json &value)
{
    if (value.is_string())
        return toQString(value.get<std::string>());
    return QString::fromUtf8(dumpJson(value));
}

QString oneLine(QString text)
{
    text.replace(u'\n', u" ⏎ "_s);
    return text.size() > 200 ? text.left(199) + u'…' : text;
}

} // namespace

CaseDetailView::CaseDetailView(QWidget *parent)
    : QWidget(parent), m_heading(new QLabel), m_status(new QLabel), m_failures(new QTreeWidget),
      m_expect(new QPlainTextEdit), m_apply(new QPushButton(tr("Apply"))), m_problem(new QLabel)
{
    m_heading->setObjectName(u"caseHeading"_s);
    m_heading->setTextFormat(Qt::PlainText);
    QFont bold = m_heading->font();
    bold.setBold(true);
    m_heading->setFont(bold);
    m_status->setObjectName(u"caseStatus"_s);
    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_failures->setObjectName(u"failureList"_s);
    m_failures->setHeaderLabels({tr("Assertion"), tr("Expected"), tr("Actual")});
    m_failures->setRootIsDecorated(false);
    m_failures->setAlternatingRowColors(true);
    m_failures->setUniformRowHeights(true);
    m_failures->header()->setStretchLastSection(true);
    m_failures->header()->setSectionResizeMode(QHeaderView::Interactive);

    m_expect->setObjectName(u"expectationEditor"_s);
    m_expect->setPlaceholderText(tr("One assertion per line, e.g. {\"text_contains\": \"billing\"}"));
    m_expect->setLineWrapMode(QPlainTextEdit::NoWrap);
    QFont mono(u"monospace"_s);
    mono.setStyleHint(QFont::Monospace);
    m_expect->setFont(mono);
    m_apply->setObjectName(u"applyExpectationsButton"_s);
    m_apply->setToolTip(tr("Check the lines and make them the case's expectations (undoable)"));
    m_apply->setEnabled(false);
    m_problem->setObjectName(u"expectationProblem"_s);
    m_problem->setWordWrap(true);
    m_problem->setTextFormat(Qt::PlainText);
    m_problem->setStyleSheet(u"color: #c0392b"_s);
    m_problem->hide();

    auto *expectLabel = new QLabel(tr("Expectations (JSON, one per line)"));
    auto *applyRow = new QHBoxLayout;
    applyRow->addWidget(m_problem, 1);
    applyRow->addWidget(m_apply, 0, Qt::AlignTop);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 4, 6, 4);
    layout->addWidget(m_heading);
    layout->addWidget(m_status);
    layout->addWidget(m_failures, 3);
    layout->addWidget(expectLabel);
    layout->addWidget(m_expect, 2);
    layout->addLayout(applyRow);

    connect(m_expect, &QPlainTextEdit::textChanged, this, [this] {
        m_apply->setEnabled(m_expect->isEnabled() && !m_expect->isReadOnly()
                            && m_expect->toPlainText() != m_shownText);
        m_problem->hide();
    });
    connect(m_apply, &QPushButton::clicked, this, &CaseDetailView::apply);
    clear();
}

void CaseDetailView::showCase(const agenttests::TestCase &testCase, CaseState state,
                              const agenttests::CaseResult *result)
{
    m_heading->setText(testCase.name);
    QString status = tr("%1 · bot %2 · %3 mode").arg(caseStateLabel(state), testCase.request.botKey,
                                                       testCase.request.mode.name());
    if (result) {
        status += tr(" · %1 s").arg(double(result->durationMs) / 1000.0, 0, 'f', 2);
        if (!result->invocationId.isEmpty())
            status += tr(" · %1").arg(result->invocationId);
    }
    m_status->setText(status);

    m_failures->clear();
    if (result) {
        for (const agenttests::Failure &f : result->failures) {
            auto *item = new QTreeWidgetItem(m_failures, {oneLine(f.assertion), oneLine(shown(f.expected)),
                                                          oneLine(shown(f.actual))});
            item->setToolTip(0, f.assertion);
            item->setToolTip(1, shown(f.expected));
            item->setToolTip(2, shown(f.actual));
        }
    }
    m_failures->setVisible(result && !result->failures.isEmpty());
    for (int column = 0; column < 2; ++column) {
        m_failures->resizeColumnToContents(column);
        m_failures->setColumnWidth(column, std::clamp(m_failures->columnWidth(column) + 12, 120, 280));
    }

    QStringList lines;
    for (const agenttests::Assertion &a : testCase.expect)
        lines << assertionLine(a);
    m_shownText = lines.join(u'\n');
    m_expect->setPlainText(m_shownText);
    m_expect->setEnabled(true);
    m_apply->setEnabled(false);
    m_problem->hide();
}

void CaseDetailView::clear()
{
    m_heading->setText(tr("No test case selected"));
    m_status->setText(tr("Open a tests file or folder, run it, and pick a case to see its verdict here."));
    m_failures->clear();
    m_failures->hide();
    m_shownText.clear();
    m_expect->clear();
    m_expect->setEnabled(false);
    m_apply->setEnabled(false);
    m_problem->hide();
}

void CaseDetailView::setEditable(bool editable)
{
    m_expect->setReadOnly(!editable);
    m_apply->setEnabled(editable && m_expect->isEnabled() && m_expect->toPlainText() != m_shownText);
}

void CaseDetailView::apply()
{
    QString error;
    const std::optional<QList<agenttests::Assertion>> expect = parseAssertionLines(m_expect->toPlainText(), &error);
    if (!expect) {
        m_problem->setText(tr("Not applied (your text is kept): %1").arg(error));
        m_problem->show();
        return;
    }
    m_problem->hide();
    Q_EMIT expectationsEdited(*expect);
}

} // namespace invoke::ui
