#pragma once
#include "core/fold/runfold.h"

#include <QtCore/QAbstractItemModel>
#include <QtCore/QHash>
#include <QtGui/QIcon>

#include <memory>
#include <vector>

namespace invoke::ui {

// The steps of a run as a tree: one row per step, nested by path ("research/summarise"
// is a child of "research", the bot.invoke step that ran the sub-bot).
//
// The steps themselves come from the core's one fold, RunFold (core/fold/runfold.h),
// fed only the events that can touch a step (no per-event storage here: the event list
// keeps the events; docs/architecture.md). Each add() says which step it touched and
// whether it is new, so no event is read twice. The model adds the tree: a node per
// step with a stable address (internalPointer), rows inserted once per parent per
// batch, changed rows announced once per batch.
//
// A step whose parent has not been seen yet (a lost or reordered event) goes under the
// nearest known ancestor, or the top level, and stays there.
class StepTreeModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column { KeyColumn, ActionColumn, StatusColumn, SourceColumn, DurationColumn,
                  TokensColumn, ColumnCount };
    enum Role {
        PathRole = Qt::UserRole + 1, // QString: "research/summarise"
        StatusRole,                  // StepStatus
        StepRecordRole,              // StepRecord
        ErrorRole,                   // QString: the step's error, empty unless failed
    };

    explicit StepTreeModel(QObject *parent = nullptr);
    ~StepTreeModel() override;

    // Takes a batch of any events; only step events change the tree.
    void addEvents(const QList<Event> &events);
    void clear();
    // Running steps become cancelled (the run was stopped).
    void markCancelled();
    // Running steps fail with `error` (the stream broke off).
    void markFailed(const QString &error);

    // The step of a row; an empty record for an invalid index.
    StepRecord stepAt(const QModelIndex &index) const;
    QModelIndex indexOfPath(const QString &path, int column = 0) const;
    int stepCount() const { return int(m_fold.result().steps.size()); }
    // The run's invocation id, from its invocation_started event; empty before it.
    QString invocationId() const { return m_fold.result().invocationId; }

    // Texts the columns show, shared with the detail pane (the status and source
    // labels are core/format/labels.h's).
    static QString durationText(qint64 milliseconds);
    static QString tokensText(qint64 inputTokens, qint64 outputTokens);

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Node
    {
        Node *parent = nullptr;
        int row = 0;   // index in parent->children
        int step = -1; // index into the fold's steps; -1 for the root
        std::vector<std::unique_ptr<Node>> children;
    };

    Node *nodeOf(const QModelIndex &index) const;
    QModelIndex indexOf(Node *node, int column = 0) const;
    const StepRecord &recordOf(const Node *node) const;
    Node *nearestKnownAncestor(const QString &path, const QHash<QString, Node *> &fresh) const;
    void insertNewSteps(int firstNewStep);
    void announceChanged(const QList<int> &steps);

    RunFold m_fold;
    Node m_root;
    std::vector<Node *> m_nodeOfStep; // step index -> node
    QHash<QString, Node *> m_nodeByPath; // the latest step with that path
    QIcon m_statusIcons[5];
};

} // namespace invoke::ui
