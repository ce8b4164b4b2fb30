#include "ui/mocks/mockcoveragemodel.h"

using namespace Qt::StringLiterals;

namespace invoke::ui {

using mocks::MockAnswer;

MockCoverageModel::MockCoverageModel(QObject *parent)
    : QAbstractTableModel(parent), m_covered(u":/icons/status-succeeded.svg"_s),
      m_computed(u":/icons/status-skipped.svg"_s), m_missing(u":/icons/status-failed.svg"_s),
      m_errorMock(u":/icons/banner-warning.svg"_s)
{
}

void MockCoverageModel::setCoverage(const QList<mocks::StepCoverage> &coverage)
{
    auto samePlan = [&] {
        if (coverage.size() != m_rows.size())
            return false;
        for (qsizetype i = 0; i < coverage.size(); ++i)
            if (coverage[i].step.path != m_rows[i].step.path || coverage[i].step.actionType != m_rows[i].step.actionType)
                return false;
        return true;
    };
    // Editing the mock set keeps the bot's steps: repaint the answers, keep selection and scroll.
    if (samePlan()) {
        m_rows = coverage;
        if (!m_rows.isEmpty())
            Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    m_rows = coverage;
    endResetModel();
}

int MockCoverageModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int MockCoverageModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString MockCoverageModel::answerWords(const mocks::StepCoverage &row)
{
    switch (row.answer) {
    case MockAnswer::StepMock:
        return row.mockIsError ? tr("step mock (fails)") : tr("step mock");
    case MockAnswer::ActionTypeMock:
        return row.mockIsError ? tr("“%1” mock (fails)").arg(row.mockKey) : tr("“%1” mock").arg(row.mockKey);
    case MockAnswer::Computed: return tr("computed");
    case MockAnswer::Bypassed: return tr("not reached (its sub-bot step is mocked)");
    case MockAnswer::Nothing: break;
    }
    return tr("nothing — the run fails here");
}

QVariant MockCoverageModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const mocks::StepCoverage &row = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case StepColumn:
            return QString(QString(row.step.depth * 2, u' ') + row.step.path
                           + (row.step.conditional ? tr(" (if)") : QString()));
        case ActionColumn: return row.step.actionType;
        case AnswerColumn: return answerWords(row);
        }
        return {};
    case Qt::DecorationRole:
        if (index.column() != AnswerColumn)
            return {};
        switch (row.answer) {
        case MockAnswer::StepMock:
        case MockAnswer::ActionTypeMock: return row.mockIsError ? m_errorMock : m_covered;
        case MockAnswer::Computed:
        case MockAnswer::Bypassed: return m_computed;
        case MockAnswer::Nothing: return m_missing;
        }
        return {};
    case Qt::ToolTipRole:
        if (!row.step.note.isEmpty())
            return row.step.note;
        if (row.step.conditional)
            return tr("Runs only when its result handler's conditions hold.");
        return {};
    case PathRole: return row.step.path;
    case AnswerRole: return int(row.answer);
    case MockKeyRole: return row.mockKey;
    default: return {};
    }
}

QVariant MockCoverageModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case StepColumn: return tr("Step");
    case ActionColumn: return tr("Action");
    case AnswerColumn: return tr("Answered by");
    }
    return {};
}

} // namespace invoke::ui
