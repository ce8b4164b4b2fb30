#include "ui/steps/steptreemodel.h"

#include "core/wire/events.h"
#include "ui/common/statusstyle.h"

#include <QtGui/QGuiApplication>
#include <QtGui/QPalette>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace invoke::ui {

namespace {

enum StatusIndex { Running, Succeeded, Failed, Skipped, Cancelled, StatusCount };

int statusIndexOf(const QString &status)
{
    if (status == QLatin1String(StepStatus::Running)) return Running;
    if (status == QLatin1String(StepStatus::Success)) return Succeeded;
    if (status == QLatin1String(StepStatus::Error)) return Failed;
    if (status == QLatin1String(StepStatus::Skipped)) return Skipped;
    if (status == QLatin1String(StepStatus::Cancelled)) return Cancelled;
    return -1;
}

// Step events change the tree; the other kinds never do. Events of ours carry a type,
// so most are told apart without parsing; the plain SDK shape needs a look inside.
bool isStepEvent(const Event &event)
{
    const QString &type = event.type;
    if (type == QLatin1String(wire::EventType::StepStarted) || type == QLatin1String(wire::EventType::StepFinished))
        return true;
    if (type == QLatin1String(wire::EventType::MessageContent) || type == QLatin1String(wire::EventType::Status)
        || type == QLatin1String(wire::EventType::InvocationStarted)
        || type == QLatin1String(wire::EventType::InvocationFinished))
        return false;
    const wire::Kind kind = wire::kindOf(event);
    return kind == wire::Kind::StepStarted || kind == wire::Kind::StepFinished;
}

// The path ResultBuilder files a step event under: metadata.path, else the payload's key.
QString stepPathOf(const Event &event)
{
    if (!event.path.isEmpty())
        return event.path;
    return stringField(wire::payloadOf(event.json()), "key");
}

} // namespace

StepTreeModel::StepTreeModel(QObject *parent)
    : QAbstractItemModel(parent)
{
    // The icons of the shared status style, loaded once rather than per data() call.
    static const char *const statuses[StatusCount] = {StepStatus::Running, StepStatus::Success, StepStatus::Error,
                                                      StepStatus::Skipped, StepStatus::Cancelled};
    for (int i = 0; i < StatusCount; ++i)
        m_statusIcons[i] = QIcon(statusStyle(QLatin1String(statuses[i]), QPalette()).iconPath);
}

StepTreeModel::~StepTreeModel() = default;

void StepTreeModel::addEvents(const QList<Event> &events)
{
    const int firstNew = stepCount();
    QList<int> touched;
    for (const Event &event : events) {
        if (!isStepEvent(event))
            continue;
        m_builder.add(event);
        const int step = m_builder.stepIndex(stepPathOf(event));
        if (step >= 0 && step < firstNew)
            touched.append(step);
    }
    insertNewSteps(firstNew);
    announceChanged(touched);
}

void StepTreeModel::clear()
{
    beginResetModel();
    m_builder = ResultBuilder();
    m_root.children.clear();
    m_nodeOfStep.clear();
    m_nodeByPath.clear();
    endResetModel();
}

void StepTreeModel::markCancelled()
{
    QList<int> running;
    const QList<StepRecord> &steps = m_builder.result().steps;
    for (int i = 0; i < steps.size(); ++i)
        if (steps[i].status == QLatin1String(StepStatus::Running))
            running.append(i);
    m_builder.markCancelled();
    announceChanged(running);
}

void StepTreeModel::markFailed(const QString &error)
{
    QList<int> running;
    const QList<StepRecord> &steps = m_builder.result().steps;
    for (int i = 0; i < steps.size(); ++i)
        if (steps[i].status == QLatin1String(StepStatus::Running))
            running.append(i);
    m_builder.markFailed(error);
    announceChanged(running);
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
    const QList<StepRecord> &steps = m_builder.result().steps;
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
    return m_builder.result().steps.at(node->step);
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

QString StepTreeModel::statusText(const QString &status)
{
    switch (statusIndexOf(status)) {
    case Running: return u"running"_s;
    case Succeeded: return u"succeeded"_s;
    case Failed: return u"failed"_s;
    case Skipped: return u"skipped"_s;
    case Cancelled: return u"cancelled"_s;
    }
    return status;
}

QString StepTreeModel::sourceText(const QString &source)
{
    if (source == QLatin1String(Source::Live)) return u"live"_s;
    if (source == QLatin1String(Source::ReplayHit)) return u"replay hit"_s;
    if (source == QLatin1String(Source::ReplayStored)) return u"stored"_s;
    if (source == QLatin1String(Source::Refreshed)) return u"refreshed"_s;
    if (source == QLatin1String(Source::Mock)) return u"mock"_s;
    return source;
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
    if (node->children.empty() && !action.isEmpty() && action != u"bot.invoke"_s)
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
        case StatusColumn: return statusText(step.status);
        case SourceColumn: return sourceText(step.source);
        case DurationColumn: return durationText(step.durationMs);
        case TokensColumn: return tokensText(step.inputTokens, step.outputTokens);
        }
        break;
    case Qt::DecorationRole:
        if (column == StatusColumn) {
            const int status = statusIndexOf(step.status);
            if (status >= 0)
                return m_statusIcons[status];
        }
        break;
    case Qt::ForegroundRole:
        if (column == StatusColumn && statusIndexOf(step.status) >= 0)
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
    case StatusRole: return step.status;
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
