#include "ui/mocks/mockcoveragepane.h"
#include "ui/mocks/mockcoveragemodel.h"
#include "ui/mocks/mocksetdocument.h"

#include "core/backend/backend.h"
#include "core/mocks/mockschema.h"
#include "core/mocks/mockvalidation.h"

#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QTableView>
#include <QtWidgets/QVBoxLayout>

#include <memory>

using namespace Qt::StringLiterals;

namespace invoke::ui {

MockCoveragePane::MockCoveragePane(MockSetDocument *document, QWidget *parent)
    : QWidget(parent), m_document(document), m_model(new MockCoverageModel(this)), m_view(new QTableView),
      m_note(new QLabel)
{
    m_view->setObjectName(u"mockCoverage"_s);
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setColumnWidth(MockCoverageModel::StepColumn, 170);
    m_view->setColumnWidth(MockCoverageModel::ActionColumn, 120);
    m_view->setToolTip(tr("Double-click a step to edit its mock, or to add one."));
    m_note->setObjectName(u"mockCoverageNote"_s);
    m_note->setWordWrap(true);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 4, 0, 0);
    layout->addWidget(new QLabel(tr("<b>Coverage</b> — how Manual mode answers each step of the bot")));
    layout->addWidget(m_note);
    layout->addWidget(m_view, 1);

    connect(m_view, &QAbstractItemView::activated, this, [this](const QModelIndex &index) {
        Q_EMIT stepActivated(index.siblingAtColumn(0).data(MockCoverageModel::PathRole).toString(),
                             index.siblingAtColumn(MockCoverageModel::ActionColumn).data().toString(),
                             index.data(MockCoverageModel::MockKeyRole).toString());
    });
    for (auto signal : {&MockSetDocument::entryInserted, &MockSetDocument::entryRemoved, &MockSetDocument::entryChanged})
        connect(m_document, signal, this, &MockCoveragePane::updateCoverage);
    connect(m_document, &MockSetDocument::reset, this, &MockCoveragePane::updateCoverage);
    updateCoverage();
}

void MockCoveragePane::setBot(const QString &botKey, Backend *backend)
{
    const quint64 request = ++m_planRequest;
    if (botKey.isEmpty() || !backend) {
        setPlan(botKey, {});
        return;
    }
    if (botKey != m_botKey || !m_plan) {
        // Until the plan arrives: no steps, and outputs checked by their action type only.
        m_botKey = botKey;
        m_plan.reset();
        m_note->setText(tr("Reading the steps of “%1”…").arg(botKey));
        applyPlan();
    }
    backend->botPlan(botKey, this, [this, request, botKey](const BotPlanResult &result) {
        if (request == m_planRequest)
            setPlan(botKey, result);
    });
}

void MockCoveragePane::setPlan(const QString &botKey, const BotPlanResult &result)
{
    m_botKey = botKey;
    m_plan = result.plan;
    if (botKey.isEmpty())
        m_note->setText(tr("Pick a bot to see which of its steps this mock set answers."));
    else if (!m_plan)
        m_note->setText(result.error.isEmpty()
                            ? tr("The steps of “%1” are not known here, so coverage cannot be shown.").arg(botKey)
                            : tr("The steps of “%1” are not known, so coverage cannot be shown: %2").arg(botKey, result.error));
    else
        m_note->setText(tr("Bot “%1”:").arg(m_plan->botName.isEmpty() ? m_plan->botKey : m_plan->botName));
    applyPlan();
}

void MockCoveragePane::applyPlan()
{
    // The check runs on every edit: it holds one shared copy of the plan.
    auto plan = m_plan ? std::make_shared<const BotPlan>(*m_plan) : std::shared_ptr<const BotPlan>();
    m_document->setSchemaCheck([plan](const QString &key, const MockResponse &response) {
        return mocks::validateMockEntry(key, response.toJson(), plan.get());
    });
    updateCoverage();
    Q_EMIT planChanged();
}

void MockCoveragePane::updateCoverage()
{
    // Only the keys and their status decide coverage: an output still being typed counts.
    MockSet keys;
    for (int row = 0; row < m_document->count(); ++row) {
        MockResponse response;
        response.success = m_document->entry(row).success;
        keys.insert(m_document->entry(row).key, response);
    }
    m_model->setCoverage(mocks::mockCoverage(m_plan ? m_plan->steps : QList<PlannedStep>(), keys));
}

QString MockCoveragePane::actionTypeOf(const QString &key) const
{
    if (m_plan)
        if (const QString type = m_plan->actionTypeOf(key); !type.isEmpty())
            return type;
    return mocks::isKnownActionType(key) ? key : QString();
}

QStringList MockCoveragePane::uncoveredSteps(const QString &botKey, const MockSet &set) const
{
    if (!m_plan || m_plan->botKey != botKey)
        return {};
    QStringList names;
    for (const mocks::StepCoverage &row : mocks::mockCoverage(m_plan->steps, set)) {
        if (row.answer == mocks::MockAnswer::Nothing)
            names << (row.step.conditional ? tr("“%1” (if reached)").arg(row.step.path) : u"“%1”"_s.arg(row.step.path));
    }
    return names;
}

} // namespace invoke::ui
