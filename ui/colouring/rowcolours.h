#pragma once
// Which colouring rule paints each event of the list, and each step (docs/filters.md,
// "Colouring rules"). A million events are never matched on a paint: each row's answer is
// kept in one byte once known. A worker thread walks the rows in slices over a snapshot of
// the list (ui/events/eventsnapshot.h), in order, as they arrive, so the steps get their
// colours; a row painted before the worker reached it is matched on the GUI thread, a few
// milliseconds per frame at most, and waits for the worker past that.
#include <QtCore/QHash>
#include <QtCore/QObject>
#include <QtCore/QThreadPool>
#include <QtCore/QTimer>

#include <atomic>
#include <memory>
#include <vector>

namespace invoke::ui {

class ColouringRules;
class EventListModel;
struct ColouringRule;

class RowColours : public QObject
{
    Q_OBJECT
public:
    static constexpr int kNone = -1;    // no rule matches
    static constexpr int kUnknown = -2; // not matched yet (over the frame's budget)

    RowColours(EventListModel *events, ColouringRules *rules, QObject *parent = nullptr);
    ~RowColours() override;

    // The rule (an index in rules()) that colours source row `row`, kNone or kUnknown.
    int ruleOfRow(int row);
    // The first rule any event of the step `path` matched so far, or kNone.
    int ruleOfPath(const QString &path);
    // The rule's colours, nullptr for kNone/kUnknown.
    const ColouringRule *rule(int index) const;
    ColouringRules *rules() const { return m_rules; }

    // Rows [0, walked()) have been matched by the worker.
    int walked() const { return m_walked; }
    bool isWalking() const { return m_running; }
    // The most the GUI thread spends matching rows in one turn of the event loop.
    void setFrameBudgetMs(int ms) { m_budgetNs = qint64(ms) * 1'000'000; }

signals:
    // Rows got their colours from the worker: repaint the event list.
    void rowsColoured();
    // A step's colour changed: repaint the step tree.
    void stepColoursChanged();

private:
    struct Slice;

    void restart();
    void onRowsInserted();
    void startSlice();
    void takeSlice(const std::shared_ptr<Slice> &slice);
    void setPathRule(quint32 pathId, quint8 code);

    EventListModel *m_events;
    ColouringRules *m_rules;
    std::vector<quint8> m_rowRule;  // per row: a rule index, kNoneCode or kUnknownCode
    std::vector<quint8> m_pathRule; // per path id of the list: the lowest rule of its events
    QHash<QString, quint32> m_pathIds;
    int m_walked = 0;
    quint64 m_epoch = 1; // bumped when the rules or the list start over
    bool m_running = false;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    QThreadPool m_pool;
    QTimer m_later;      // new rows: start the worker once per batch, not per row
    QTimer m_stepsLater; // step colours: one repaint per frame
    qint64 m_budgetNs = 6'000'000;
    qint64 m_spentNs = 0;
    bool m_budgetResetQueued = false;
};

} // namespace invoke::ui
