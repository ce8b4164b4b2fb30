#include "ui/steps/stephider.h"

#include "ui/steps/steptreemodel.h"

#include <QtWidgets/QTreeView>

#include <functional>

namespace invoke::ui {

StepTreeHider::StepTreeHider(QTreeView *view, StepTreeModel *model, QObject *parent)
    : QObject(parent), m_view(view), m_model(model)
{
    m_later.setSingleShot(true);
    m_later.setInterval(0);
    connect(&m_later, &QTimer::timeout, this, &StepTreeHider::apply);
    const auto schedule = [this] {
        if (m_active)
            m_later.start();
    };
    connect(model, &QAbstractItemModel::rowsInserted, this, schedule);
    connect(model, &QAbstractItemModel::modelReset, this, schedule);
}

void StepTreeHider::setMatchingPaths(bool active, const QSet<QString> &paths)
{
    const bool wasActive = m_active;
    m_active = active;
    m_paths = active ? paths : QSet<QString>();
    if (active || wasActive)
        apply();
}

void StepTreeHider::apply()
{
    // Returns whether the subtree under `parent` shows anything; hides what it does not.
    const std::function<bool(const QModelIndex &)> visit = [&](const QModelIndex &parent) {
        bool any = false;
        for (int row = 0; row < m_model->rowCount(parent); ++row) {
            const QModelIndex index = m_model->index(row, 0, parent);
            const bool own = !m_active || m_paths.contains(index.data(StepTreeModel::PathRole).toString());
            const bool below = visit(index);
            const bool show = own || below;
            if (m_view->isRowHidden(row, parent) == show)
                m_view->setRowHidden(row, parent, !show);
            any = any || show;
        }
        return any;
    };
    visit({});
}

} // namespace invoke::ui
