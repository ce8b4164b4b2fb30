#pragma once
// A run's waterfall (docs/runs.md, Timeline): one bar per step from its start for its
// duration, sub-bot steps nested under theirs, the slowest path marked (from the run's
// slowest top-level step down through its slowest nested step). Painted from a step tree
// (ui/steps/steptreemodel.h), so it grows while the run streams: a running step's bar
// reaches the newest time seen and is drawn open-ended.
#include <QtWidgets/QWidget>

class QAbstractItemModel;

namespace invoke::ui {

class RunTimeline : public QWidget
{
    Q_OBJECT
public:
    struct Bar
    {
        QString path;
        int depth = 0;
        qint64 startMs = 0;
        qint64 durationMs = -1; // -1: still running
        int status = 0;         // StepStatus
        bool slowest = false;   // on the slowest path
    };

    explicit RunTimeline(QWidget *parent = nullptr);

    // The step tree to paint (a StepTreeModel); followed as it changes.
    void setModel(QAbstractItemModel *model);

    // The bars as painted, depth-first (for tests and the tooltip).
    QList<Bar> bars() const;
    qint64 spanMs() const; // the time the axis covers

    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    bool event(QEvent *event) override; // tooltips

private:
    void rebuild();
    void collect(const QModelIndex &parent, int depth);
    void markSlowest();
    int barAt(const QPoint &pos) const;

    QAbstractItemModel *m_model = nullptr;
    QList<Bar> m_bars;
    qint64 m_span = 0;
    bool m_dirty = true;
};

} // namespace invoke::ui
