#pragma once
// Hides the rows of a step tree whose step has no event matching the events view's
// display filter (docs/filters.md): a step stays when it, or a step under it, matches.
// The view's rows are hidden, not the model's: every index the window holds stays valid.
#include <QtCore/QObject>
#include <QtCore/QSet>
#include <QtCore/QTimer>

class QTreeView;

namespace invoke::ui {

class StepTreeModel;

class StepTreeHider : public QObject
{
    Q_OBJECT
public:
    StepTreeHider(QTreeView *view, StepTreeModel *model, QObject *parent = nullptr);

    // `active`: hide every step not in `paths` and with nothing in `paths` under it;
    // otherwise show every step.
    void setMatchingPaths(bool active, const QSet<QString> &paths);
    bool isActive() const { return m_active; }

private:
    void apply();

    QTreeView *m_view;
    StepTreeModel *m_model;
    bool m_active = false;
    QSet<QString> m_paths;
    QTimer m_later; // new steps arrive a batch at a time: one pass per frame
};

} // namespace invoke::ui
