#pragma once
// The coverage part of the mock set editor: the chosen bot's plan, asked of the backend
// the window runs on (the embedded engine or a server: Backend::botPlan), and how the
// open mock set answers each of its steps. It also gives the document its per-key check
// against the plan (a key's output against its step's action type; unknown steps).
#include "core/mocks/mockcoverage.h"
#include "core/model/botplan.h"

#include <QtWidgets/QWidget>

class QLabel;
class QTableView;

namespace invoke {
class Backend;
}

namespace invoke::ui {

class MockCoverageModel;
class MockSetDocument;

class MockCoveragePane : public QWidget
{
    Q_OBJECT
public:
    explicit MockCoveragePane(MockSetDocument *document, QWidget *parent = nullptr);

    MockCoverageModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }

    // Asks `backend` for the plan of `botKey`; shown when it arrives, unless another bot
    // was chosen since. Until then the steps of a new bot are unknown.
    void setBot(const QString &botKey, Backend *backend);
    // The plan of `botKey` (or why there is none), as Backend::botPlan answers.
    void setPlan(const QString &botKey, const BotPlanResult &result);
    const std::optional<BotPlan> &plan() const { return m_plan; }

    // The action type of a key: its step's when the plan has that path, else the key
    // itself when it is an action type the engine knows; empty otherwise.
    QString actionTypeOf(const QString &key) const;
    // The steps of `botKey` nothing in `set` answers ("“notes-only” (if reached)"); empty
    // when the plan shown is of another bot.
    QStringList uncoveredSteps(const QString &botKey, const MockSet &set) const;

Q_SIGNALS:
    // A row was double-clicked: its step path and action type, and the key that answers
    // it (empty when nothing does).
    void stepActivated(const QString &path, const QString &actionType, const QString &mockKey);
    // The plan shown changed (a hint that names a key's action type is out of date).
    void planChanged();

private:
    void applyPlan();
    void updateCoverage();

    MockSetDocument *m_document;
    MockCoverageModel *m_model;
    QTableView *m_view;
    QLabel *m_note;
    std::optional<BotPlan> m_plan;
    QString m_botKey;
    quint64 m_planRequest = 0; // the latest plan asked for; older answers are dropped
};

} // namespace invoke::ui
