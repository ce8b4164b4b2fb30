#include "ui/steps/steptreemodel.h"

#include "core/format/labels.h"
#include "core/model/actiontypes.h"
#include "core/wire/events.h"
#include "ui/common/statusstyle.h"

#include <QtGui/QGuiApplication>
#include <QtGui/QPalette>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace invoke::ui {

namespace {

// Events that can touch a step, or tell the invocation id: told apart by their type
// without a parse. An untyped event (the plain SDK shape) or a type we do not know goes
// to the fold, which classifies it by its shape.
bool mayTouchSteps(const Event &event)
{
    switch (wire::kindOfType(event.type)) {
    case EventKind::InvocationStarted:
    case EventKind::StepStarted:
    case EventKind::StepFinished:
    case EventKind::Unknown:
        return true;
    case EventKind::MessageContent:
    case EventKind::Status:
    case EventKind::InvocationFinished:
        return false;
    }
    return true;
}

} // namespace

StepTreeModel::StepTreeModel(QObject *parent)
    : QAbstractItemModel(parent)
{
    // The icons of the shared status style, loaded once rather than per data() call.
    for (const StepStatus status : {StepStatus::Running, StepStatus::Success, StepStatus::Error, StepStatus::Skipped,
                                    StepStatus::Cancelled})
        m_statusIcons[int(status)] = QIcon(statusStyle(status, QPalette()).iconPath);
}

StepTreeModel::~StepTreeModel() = default;

void StepTreeModel::addEvents(const QList<Event> &events)
{
    const int firstNew = stepCount();
    QList<int> touched;
    for (const Event &event : events) {
        if (!mayTouchSteps(event))
            continue;
        const FoldChange change = m_fold.add(event);
        // New steps (stepIsNew, or appended earlier in this batch) are inserted below.
        if (change.step >= 0 && !change.stepIsNew && change.step < firstNew)
            touched.append(change.step);
    }
    insertNewSteps(firstNew);
    announceChanged(touched);
}

void StepTreeModel::clear()
{
    beginResetModel();
    m_fold = RunFold();
    m_root.children.clear();
    m_nodeOfStep.clear();
    m_nodeByPath.clear();
    endResetModel();
}

void StepTreeModel::markCancelled()
{
    announceChanged(m_fold.markCancelled());
}

void StepTreeModel::markFailed(const QString &error)
{
    announceChanged(m_fold.markFailed(error));
}

StepTreeModel::Node *StepTreeModel::nearestKnownAncestor(const QString &path,
                                                         const QHash<QString, Node *> &fresh) const
{
    QStringView prefix(path);
    for (qsizetype cut = prefix.lastIndexOf(u'/'); cut > 0; cut = prefix.lastIndexOf(u'/')) {
        prefix = prefix.left(cut);
        const QString key = prefix.toString();
        if (Node *node = fresh.value(key))
            return node;
        if (Node *node = m_nodeByPath.value(key))
            return node;
    }
    return const_cast<Node *>(&m_root);
}

void StepTreeModel::insertNewSteps(int firstNew)
{
    const QList<StepRecord> &steps = m_fold.result().steps;
    if (steps.size() <= firstNew)
        return;
    // New steps join either a row the views already know (one insert per such parent,
    // in order) or a step that is new in this batch too (attached silently: it arrives
    // with its parent's insert).
    struct Group
    {
        Node *parent;
        std::vector<std::unique_ptr<Node>> nodes;
    };
    std::vector<Group> groups;
    QHash<Node *, size_t> groupOfParent;
    QHash<QString, Node *> fresh;
    std::vector<Node *> created;
    for (int i = firstNew; i < steps.size(); ++i) {
        auto node = std::make_unique<Node>();
        node->step = i;
        Node *parent = nearestKnownAncestor(steps[i].path, fresh);
        node->parent = parent;
        created.push_back(node.get());
        fresh.insert(steps[i].path, node.get());
        if (parent != &m_root && parent->step >= firstNew) {
            node->row = int(parent->children.size());
            parent->children.push_back(std::move(node));
            continue;
        }
        auto found = groupOfParent.constFind(parent);
        if (found == groupOfParent.cend()) {
            found = groupOfParent.insert(parent, groups.size());
            groups.push_back({parent, {}});
        }
        Group &group = groups[*found];
        node->row = int(parent->children.size() + group.nodes.size());
        group.nodes.push_back(std::move(node));
    }
    for (Group &group : groups) {
        const int first = int(group.parent->children.size());
        beginInsertRows(indexOf(group.parent), first, first + int(group.nodes.size()) - 1);
        for (auto &node : group.nodes)
            group.parent->children.push_back(std::move(node));
        endInsertRows();
    }
    for (Node *node : created) {
        m_nodeOfStep.push_back(node);
        m_nodeByPath.insert(steps[node->step].path, node);
    }
}

void StepTreeModel::announceChanged(const QList<int> &steps)
{
    // One dataChanged per parent, spanning its changed rows.
    QHash<Node *, std::pair<int, int>> spans;
    for (const int step : steps) {
        if (step < 0 || size_t(step) >= m_nodeOfStep.size())
            continue;
        const Node *node = m_nodeOfStep[size_t(step)];
        auto it = spans.find(node->parent);
        if (it == spans.end())
            spans.insert(node->parent, {node->row, node->row});
        else
            *it = {std::min(it->first, node->row), std::max(it->second, node->row)};
    }
    for (auto it = spans.cbegin(); it != spans.cend(); ++it) {
        const QModelIndex parent = indexOf(it.key());
        Q_EMIT dataChanged(index(it->first, 0, parent), index(it->second, ColumnCount - 1, parent));
    }
}

StepTreeModel::Node *StepTreeModel::nodeOf(const QModelIndex &index) const
{
    if (!index.isValid())
        return const_cast<Node *>(&m_root);
    return static_cast<Node *>(index.internalPointer());
}

QModelIndex StepTreeModel::indexOf(Node *node, int column) const
{
    if (!node || node == &m_root)
        return {};
    return createIndex(node->row, column, node);
}

const StepRecord &StepTreeModel::recordOf(const Node *node) const
{
    static const StepRecord none;
    if (!node || node->step < 0)
        return none;
    return m_fold.result().steps.at(node->step);
}

StepRecord StepTreeModel::stepAt(const QModelIndex &index) const
{
    if (!index.isValid() || index.model() != this)
        return {};
    return recordOf(nodeOf(index));
}

QModelIndex StepTreeModel::indexOfPath(const QString &path, int column) const
{
    return indexOf(m_nodeByPath.value(path), column);
}

QString StepTreeModel::durationText(qint64 ms)
{
    if (ms < 0)
        return {};
    if (ms < 1000)
        return u"%1 ms"_s.arg(ms);
    if (ms < 60'000)
        return u"%1 s"_s.arg(double(ms) / 1000.0, 0, 'f', 1);
    return u"%1 min %2 s"_s.arg(ms / 60'000).arg((ms % 60'000) / 1000);
}

QString StepTreeModel::tokensText(qint64 in, qint64 out)
{
    if (in >= 0 && out >= 0)
        return u"in %1 · out %2"_s.arg(in).arg(out);
    if (in >= 0)
        return u"in %1"_s.arg(in);
    if (out >= 0)
        return u"out %1"_s.arg(out);
    return {};
}

QModelIndex StepTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (column < 0 || column >= ColumnCount || row < 0 || (parent.isValid() && parent.column() != 0))
        return {};
    const Node *node = nodeOf(parent);
    if (size_t(row) >= node->children.size())
        return {};
    return createIndex(row, column, node->children[size_t(row)].get());
}

QModelIndex StepTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    return indexOf(nodeOf(child)->parent);
}

int StepTreeModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return 0;
    return int(nodeOf(parent)->children.size());
}

int StepTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

Qt::ItemFlags StepTreeModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags flags = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    const Node *node = nodeOf(index);
    const QString &action = recordOf(node).actionType;
    // Only a sub-bot has steps under it; an unknown action might still be one.
    if (node->children.empty() && !action.isEmpty() && action != ActionType::BotInvoke)
        flags |= Qt::ItemNeverHasChildren;
    return flags;
}

QVariant StepTreeModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const StepRecord &step = recordOf(nodeOf(index));
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case KeyColumn: return step.key.isEmpty() ? step.path.section(u'/', -1) : step.key;
        case ActionColumn: return step.actionType;
        case StatusColumn: return format::label(step.status);
        case SourceColumn: return format::label(step.source);
        case DurationColumn: return durationText(step.durationMs);
        case TokensColumn: return tokensText(step.inputTokens, step.outputTokens);
        }
        break;
    case Qt::DecorationRole:
        if (column == StatusColumn)
            return m_statusIcons[int(step.status)];
        break;
    case Qt::ForegroundRole:
        if (column == StatusColumn)
            return statusStyle(step.status, QGuiApplication::palette()).color;
        break;
    case Qt::ToolTipRole:
        if (!step.error.isEmpty())
            return step.error;
        if (column == KeyColumn)
            return step.path;
        break;
    case Qt::TextAlignmentRole:
        if (column == DurationColumn || column == TokensColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case PathRole: return step.path;
    case StatusRole: return QVariant::fromValue(step.status);
    case StepRecordRole: return QVariant::fromValue(step);
    case ErrorRole: return step.error;
    }
    return {};
}

QVariant StepTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractItemModel::headerData(section, orientation, role);
    switch (section) {
    case KeyColumn: return u"Step"_s;
    case ActionColumn: return u"Action"_s;
    case StatusColumn: return u"Status"_s;
    case SourceColumn: return u"Source"_s;
    case DurationColumn: return u"Duration"_s;
    case TokensColumn: return u"Tokens"_s;
    }
    return {};
}

} // namespace invoke::ui
