#include "ui/history/runcompareview.h"

#include "core/format/labels.h"

#include <QtGui/QStandardItemModel>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QSplitter>
#include <QtWidgets/QTableView>
#include <QtWidgets/QTextBrowser>
#include <QtWidgets/QVBoxLayout>

using namespace Qt::StringLiterals;

namespace invoke::ui {

namespace {

// The text a person compares: an LLM answer's content, else the JSON.
QString outputText(const Json &output)
{
    if (output.is_string())
        return toQString(output.get<std::string>());
    if (output.is_object() && output.contains("content") && output["content"].is_string())
        return toQString(output["content"].get<std::string>());
    return output.is_null() ? QString() : QString::fromUtf8(dumpJson(output, 2));
}

QString sideText(const std::optional<history::StepSide> &side, const std::function<QString(const history::StepSide &)> &what)
{
    return side ? what(*side) : u"—"_s;
}

QString delta(qint64 a, qint64 b, const QString &unit)
{
    if (a < 0 || b < 0)
        return {};
    const qint64 d = b - a;
    return d == 0 ? u"±0"_s : (d > 0 ? u"+%1%2"_s : u"%1%2"_s).arg(d).arg(unit);
}

} // namespace

RunCompareView::RunCompareView(QWidget *parent)
    : QWidget(parent), m_title(new QLabel(this)), m_replayMiss(new QLabel(this)), m_model(new QStandardItemModel(0, ColumnCount, this)),
      m_steps(new QTableView(this)), m_outputDiff(new QTextBrowser(this)), m_resultDiff(new QTextBrowser(this))
{
    setObjectName(u"runCompare"_s);
    m_title->setObjectName(u"compareTitle"_s);
    m_title->setWordWrap(true);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_model->setHorizontalHeaderLabels({tr("Step"), tr("Status A → B"), tr("Source A → B"), tr("Duration (Δ)"),
                                        tr("Tokens (Δ)")});
    m_steps->setObjectName(u"compareSteps"_s);
    m_steps->setModel(m_model);
    m_steps->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_steps->setSelectionMode(QAbstractItemView::SingleSelection);
    m_steps->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_steps->verticalHeader()->hide();
    m_steps->horizontalHeader()->setSectionResizeMode(Path, QHeaderView::Stretch);
    m_outputDiff->setObjectName(u"compareOutputDiff"_s);
    m_resultDiff->setObjectName(u"compareResultDiff"_s);
    m_outputDiff->setPlaceholderText(tr("Select a step to compare its outputs"));

    auto *outputBox = new QWidget(this);
    auto *outputLayout = new QVBoxLayout(outputBox);
    outputLayout->setContentsMargins(0, 0, 0, 0);
    outputLayout->addWidget(new QLabel(tr("<b>Step output</b> (A → B)"), outputBox));
    outputLayout->addWidget(m_outputDiff);
    m_replayMiss->setObjectName(u"compareReplayMiss"_s);
    m_replayMiss->setWordWrap(true);
    m_replayMiss->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_replayMiss->hide();
    outputLayout->addWidget(m_replayMiss);
    auto *resultBox = new QWidget(this);
    auto *resultLayout = new QVBoxLayout(resultBox);
    resultLayout->setContentsMargins(0, 0, 0, 0);
    resultLayout->addWidget(new QLabel(tr("<b>Result</b> (A → B)"), resultBox));
    resultLayout->addWidget(m_resultDiff);
    auto *diffs = new QSplitter(Qt::Horizontal, this);
    diffs->addWidget(outputBox);
    diffs->addWidget(resultBox);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_steps);
    split->addWidget(diffs);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_title);
    layout->addWidget(split, 1);

    connect(m_steps->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) { showStep(current.row()); });
}

void RunCompareView::compare(const history::RunRecord &a, const history::RunRecord &b)
{
    m_comparison = history::compareRuns(a.result(), b.result());
    const auto describe = [](const history::RunRecord &r) {
        return u"%1 · %2 · %3 · %4"_s.arg(r.summary.invocationId.left(8), r.summary.botKey, r.summary.mode,
                                          r.summary.startedAt.toLocalTime().toString(u"yyyy-MM-dd HH:mm:ss"_s));
    };
    const QString divergence = m_comparison.firstDivergence
        ? tr("First divergence: <b>%1</b>").arg(m_comparison.firstDivergence->toHtmlEscaped())
        : tr("The runs do not diverge.");
    m_title->setText(tr("<b>A</b> %1<br><b>B</b> %2<br>%3")
                         .arg(describe(a).toHtmlEscaped(), describe(b).toHtmlEscaped(), divergence));

    m_model->removeRows(0, m_model->rowCount());
    for (const history::StepComparison &step : std::as_const(m_comparison.steps)) {
        const auto status = [](const history::StepSide &s) { return QString(format::label(s.status)); };
        const auto source = [](const history::StepSide &s) { return QString(format::label(s.source)); };
        const qint64 durA = step.a ? step.a->durationMs : -1, durB = step.b ? step.b->durationMs : -1;
        const qint64 tokA = step.a ? step.a->tokens : -1, tokB = step.b ? step.b->tokens : -1;
        QList<QStandardItem *> row{
            new QStandardItem(step.path),
            new QStandardItem(sideText(step.a, status) + u" → "_s + sideText(step.b, status)),
            new QStandardItem(sideText(step.a, source) + u" → "_s + sideText(step.b, source)),
            new QStandardItem(durB >= 0 ? u"%1 ms (%2)"_s.arg(durB).arg(delta(durA, durB, u" ms"_s)) : u"—"_s),
            new QStandardItem(tokB >= 0 ? u"%1 (%2)"_s.arg(tokB).arg(delta(tokA, tokB, QString())) : u"—"_s)};
        if (!step.same) {
            QFont bold;
            bold.setBold(true);
            row.first()->setFont(bold);
            row.first()->setForeground(QColor(0xc0, 0x6a, 0x00));
            row.first()->setToolTip(tr("Differs between the runs"));
        }
        m_model->appendRow(row);
    }
    m_resultDiff->setHtml(diffHtml(history::diffWords(m_comparison.resultA, m_comparison.resultB)));
    if (m_comparison.firstDivergence)
        selectPath(*m_comparison.firstDivergence);
    else if (m_model->rowCount() > 0)
        m_steps->selectRow(0);
    else
        m_outputDiff->clear();
}

QString RunCompareView::selectedPath() const
{
    const QModelIndex current = m_steps->selectionModel()->currentIndex();
    return current.isValid() ? m_model->item(current.row(), Path)->text() : QString();
}

void RunCompareView::selectPath(const QString &path)
{
    for (int row = 0; row < m_model->rowCount(); ++row) {
        if (m_model->item(row, Path)->text() == path) {
            m_steps->selectRow(row);
            m_steps->scrollTo(m_model->index(row, 0));
            showStep(row);
            return;
        }
    }
}

QString RunCompareView::outputDiffText() const { return m_outputDiff->toPlainText(); }
QString RunCompareView::resultDiffText() const { return m_resultDiff->toPlainText(); }
QString RunCompareView::replayMissText() const { return m_replayMiss->isHidden() ? QString() : m_replayMiss->text(); }

void RunCompareView::showStep(int row)
{
    m_replayMiss->hide();
    if (row < 0 || row >= m_comparison.steps.size()) {
        m_outputDiff->clear();
        return;
    }
    const history::StepComparison &step = m_comparison.steps.at(row);
    QStringList misses;
    for (const auto &[name, side] : {std::pair{u"A"_s, &step.a}, std::pair{u"B"_s, &step.b}}) {
        const QString why = *side ? stringField((*side)->replayMiss, "summary") : QString();
        if (!why.isEmpty())
            misses << tr("Why %1 missed the replay cache: %2").arg(name, why);
    }
    if (!misses.isEmpty()) {
        m_replayMiss->setText(misses.join(u'\n'));
        m_replayMiss->show();
    }
    const QString a = step.a ? outputText(step.a->output) : QString();
    const QString b = step.b ? outputText(step.b->output) : QString();
    QString html;
    if (!step.a)
        html = tr("<i>Only in B.</i><br>");
    else if (!step.b)
        html = tr("<i>Only in A.</i><br>");
    m_outputDiff->setHtml(html + diffHtml(history::diffWords(a, b)));
}

QString RunCompareView::diffHtml(const QList<history::WordChange> &changes)
{
    QString html = u"<div style=\"white-space: pre-wrap;\">"_s;
    for (const history::WordChange &c : changes) {
        const QString text = c.text.toHtmlEscaped();
        switch (c.kind) {
        case history::WordChange::Kept: html += text; break;
        case history::WordChange::Removed:
            html += u"<span style=\"color:#b42318; background:#fde8e7; text-decoration: line-through;\">"_s + text
                    + u"</span>"_s;
            break;
        case history::WordChange::Added:
            html += u"<span style=\"color:#1a7f37; background:#e6f6ea; text-decoration: underline;\">"_s + text
                    + u"</span>"_s;
            break;
        }
    }
    return html + u"</div>"_s;
}

} // namespace invoke::ui
