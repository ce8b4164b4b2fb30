#pragma once
#include "core/mocks/mockcoverage.h"

#include <QtCore/QAbstractTableModel>
#include <QtGui/QIcon>

namespace invoke::ui {

// The steps of the chosen bot and how Manual mode will answer each with the open mock
// set (mocks::mockCoverage): a step mock, an action-type mock, computed, bypassed, or
// nothing — the last ones fail the run and are marked so.
class MockCoverageModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { StepColumn, ActionColumn, AnswerColumn, ColumnCount };
    enum Role { PathRole = Qt::UserRole + 1, AnswerRole /* int: mocks::MockAnswer */, MockKeyRole };

    explicit MockCoverageModel(QObject *parent = nullptr);

    // Replaces the rows (a new bot or a changed mock set); unchanged rows only repaint.
    void setCoverage(const QList<mocks::StepCoverage> &coverage);
    const QList<mocks::StepCoverage> &coverage() const { return m_rows; }
    QStringList uncoveredSteps() const { return mocks::uncoveredSteps(m_rows); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    static QString answerWords(const mocks::StepCoverage &row);

private:
    QList<mocks::StepCoverage> m_rows;
    QIcon m_covered, m_computed, m_missing, m_errorMock;
};

} // namespace invoke::ui
