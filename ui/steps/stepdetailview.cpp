#include "ui/steps/stepdetailview.h"

#include "core/format/labels.h"
#include "ui/events/eventdetail.h"
#include "ui/events/eventlistmodel.h"
#include "ui/steps/programoutput.h"
#include "ui/common/statusstyle.h"
#include "ui/steps/steptreemodel.h"

#include <QtGui/QFontDatabase>
#include <QtWidgets/QLabel>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QTabWidget>
#include <QtWidgets/QVBoxLayout>

using namespace Qt::StringLiterals;

namespace invoke::ui {

namespace {

// A step's events can be thousands of text deltas: show the first ones, say how many
// more there are (the Events tab of the window has them all).
constexpr int MaxEventsShown = 300;

QString pretty(const Json &value)
{
    if (value.is_null())
        return {};
    if (value.is_string())
        return toQString(value.get<std::string>());
    return QString::fromUtf8(dumpJson(value, 2));
}

QPlainTextEdit *codeBox(const QString &name, const QString &placeholder)
{
    auto *box = new QPlainTextEdit;
    box->setObjectName(name);
    box->setReadOnly(true);
    box->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    box->setPlaceholderText(placeholder);
    return box;
}

} // namespace

StepDetailView::StepDetailView(EventListModel *events, QWidget *parent)
    : QWidget(parent), m_events(events), m_title(new QLabel(this)), m_facts(new QLabel(this)),
      m_error(new QLabel(this)), m_tabs(new QTabWidget(this)),
      m_parameters(codeBox(u"stepParameters"_s, tr("No parameters"))),
      m_output(codeBox(u"stepOutput"_s, tr("No output yet"))),
      m_stepEvents(codeBox(u"stepEvents"_s, tr("No events")))
{
    m_title->setObjectName(u"stepTitle"_s);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_facts->setObjectName(u"stepFacts"_s);
    m_facts->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setObjectName(u"stepError"_s);
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setStyleSheet(u"color: #d0463b;"_s);
    m_replayMiss = new QLabel(this);
    m_replayMiss->setObjectName(u"stepReplayMiss"_s);
    m_replayMiss->setWordWrap(true);
    m_replayMiss->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_output->setLineWrapMode(QPlainTextEdit::WidgetWidth);

    m_tabs->setDocumentMode(true);
    m_tabs->addTab(m_output, tr("Output"));
    m_tabs->addTab(m_parameters, tr("Parameters"));
    m_tabs->addTab(m_stepEvents, tr("Events"));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_title);
    layout->addWidget(m_facts);
    layout->addWidget(m_error);
    layout->addWidget(m_replayMiss);
    layout->addWidget(m_tabs, 1);
    clear();
}

void StepDetailView::clear()
{
    m_path.clear();
    m_title->setText(tr("<i>Select a step to see its parameters, output and events.</i>"));
    m_facts->clear();
    m_facts->hide();
    m_error->hide();
    m_replayMiss->hide();
    m_parameters->clear();
    m_output->clear();
    m_stepEvents->clear();
    m_tabs->setTabText(2, tr("Events"));
}

void StepDetailView::setStep(const StepRecord &step)
{
    m_path = step.path;
    m_title->setText(u"<b>%1</b> &nbsp;<code>%2</code>"_s.arg(
        (step.path.isEmpty() ? step.key : step.path).toHtmlEscaped(), step.actionType.toHtmlEscaped()));

    QStringList facts;
    facts << statusHtml(step.status, format::label(step.status), palette());
    if (step.source != Source::Unknown)
        facts << tr("source: %1").arg(format::label(step.source));
    if (step.durationMs >= 0)
        facts << tr("took %1").arg(StepTreeModel::durationText(step.durationMs));
    const QString tokens = StepTreeModel::tokensText(step.inputTokens, step.outputTokens);
    if (!tokens.isEmpty())
        facts << tr("tokens: %1").arg(tokens);
    const bool program = isProgramOutput(step.actionType, step.output);
    if (program) {
        for (const QString &fact : programFacts(step.output))
            facts << fact.toHtmlEscaped();
    }
    m_facts->setText(facts.join(u" &nbsp;·&nbsp; "_s));
    m_facts->show();

    m_error->setText(step.error.isEmpty() ? QString() : tr("This step failed: %1").arg(step.error));
    m_error->setVisible(!step.error.isEmpty());
    // A replay step that was not answered from the cache says why (docs/cache.md).
    const QString why = stringField(step.replayMiss, "summary");
    const bool refresh = stringField(step.replayMiss, "reason") == u"refresh"_s;
    m_replayMiss->setText(why.isEmpty() ? QString()
                                        : (refresh ? tr("Replay refresh: %1") : tr("Replay miss: %1")).arg(why));
    m_replayMiss->setVisible(!why.isEmpty());

    m_parameters->setPlainText(pretty(step.parameters));
    if (program) {
        showProgramOutput(m_output, step.output); // stdout, stderr marked, files
    } else {
        // An LLM's answer is text inside the output object: show it readable first.
        QString output = pretty(step.output);
        if (step.output.is_object() && step.output.contains("content") && step.output["content"].is_string())
            output = toQString(step.output["content"].get<std::string>()) + u"\n\n"_s
                     + tr("── the whole output ──") + u"\n"_s + output;
        m_output->setPlainText(output);
    }

    const QList<int> rows = m_events->rowsForPath(step.path);
    QString text;
    for (int i = 0; i < rows.size() && i < MaxEventsShown; ++i) {
        text += eventDetailText(m_events->rawAt(rows.at(i)));
        text += u'\n';
    }
    if (rows.size() > MaxEventsShown)
        text += tr("… and %n more event(s): see the Events tab.", nullptr, int(rows.size() - MaxEventsShown));
    m_stepEvents->setPlainText(text);
    m_tabs->setTabText(2, tr("Events (%1)").arg(rows.size()));
}

QString StepDetailView::headerText() const
{
    return m_title->text() + u'\n' + m_facts->text() + u'\n' + (m_error->isHidden() ? QString() : m_error->text())
        + (m_replayMiss->isHidden() ? QString() : u'\n' + m_replayMiss->text());
}

QString StepDetailView::parametersText() const { return m_parameters->toPlainText(); }
QString StepDetailView::outputText() const { return m_output->toPlainText(); }
QString StepDetailView::eventsText() const { return m_stepEvents->toPlainText(); }

} // namespace invoke::ui
