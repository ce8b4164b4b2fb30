#include "ui/colouring/rowcolours.h"

#include "ui/colouring/colouringrules.h"
#include "ui/events/eventlistmodel.h"
#include "ui/events/eventsnapshot.h"

#include <QtCore/QElapsedTimer>

namespace invoke::ui {

namespace {

constexpr quint8 kNoneCode = 0xFE;
constexpr quint8 kUnknownCode = 0xFF;
constexpr int kSliceRows = 65'536; // one worker job; then its colours are shown

// The first of `rules` that `record` matches; a rule whose match could not be decided (a too
// costly regular expression) is reported in `problem` with its index in `rules`.
quint8 firstMatch(const std::vector<ColouringRules::Compiled> &rules, const filter::EventRecord &record,
                  int *problemAt, filter::MatchProblem *problem)
{
    for (size_t i = 0; i < rules.size(); ++i) {
        filter::MatchProblem p;
        const bool hit = rules[i].filter.matches(record, &p);
        if (p.isSet() && problemAt && *problemAt < 0) {
            *problemAt = int(i);
            *problem = p;
        }
        if (hit)
            return quint8(rules[i].rule);
    }
    return kNoneCode;
}

} // namespace

struct RowColours::Slice
{
    quint64 epoch = 0;
    int from = 0;
    int to = 0;
    std::vector<quint8> codes;
    std::vector<quint32> pathIds;
    std::vector<std::pair<int, QString>> stopped; // rule index, why
};

RowColours::RowColours(EventListModel *events, ColouringRules *rules, QObject *parent)
    : QObject(parent), m_events(events), m_rules(rules), m_cancel(std::make_shared<std::atomic<bool>>(false))
{
    m_pool.setMaxThreadCount(1);
    m_later.setSingleShot(true);
    m_later.setInterval(30);
    m_stepsLater.setSingleShot(true);
    m_stepsLater.setInterval(16);
    connect(&m_later, &QTimer::timeout, this, &RowColours::startSlice);
    connect(&m_stepsLater, &QTimer::timeout, this, &RowColours::stepColoursChanged);
    connect(m_events, &QAbstractItemModel::rowsInserted, this, &RowColours::onRowsInserted);
    connect(m_events, &QAbstractItemModel::modelReset, this, &RowColours::restart);
    connect(m_rules, &ColouringRules::changed, this, &RowColours::restart);
    restart();
}

RowColours::~RowColours()
{
    m_cancel->store(true);
    m_pool.waitForDone();
}

void RowColours::restart()
{
    m_cancel->store(true);
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    m_running = false;
    ++m_epoch;
    m_walked = 0;
    m_rowRule.assign(size_t(m_events->rowCount()), kUnknownCode);
    m_pathRule.clear();
    m_pathIds.clear();
    emit rowsColoured();
    emit stepColoursChanged();
    m_later.start();
}

void RowColours::onRowsInserted()
{
    m_rowRule.resize(size_t(m_events->rowCount()), kUnknownCode);
    if (!m_running && !m_later.isActive())
        m_later.start();
}

void RowColours::startSlice()
{
    if (m_running || !m_rules->isEnabled() || m_rules->compiled().empty())
        return;
    const int total = m_events->rowCount();
    if (m_walked >= total)
        return;
    m_running = true;
    auto slice = std::make_shared<Slice>();
    slice->epoch = m_epoch;
    slice->from = m_walked;
    slice->to = qMin(total, m_walked + kSliceRows);
    std::shared_ptr<std::atomic<bool>> cancel = m_cancel;
    m_pool.start([this, slice, cancel, rules = m_rules->compiled(), snapshot = m_events->snapshot()]() mutable {
        slice->codes.reserve(size_t(slice->to - slice->from));
        slice->pathIds.reserve(size_t(slice->to - slice->from));
        for (int row = slice->from; row < slice->to; ++row) {
            if ((row & 1023) == 0 && cancel->load())
                return;
            int problemAt = -1;
            filter::MatchProblem problem;
            slice->codes.push_back(firstMatch(rules, snapshot.record(row), &problemAt, &problem));
            slice->pathIds.push_back(snapshot.pathIdAt(row));
            if (problemAt >= 0) {
                // A rule that gave up on one event would likely give up on the next ones
                // too: it stops here rather than cost its limit on every event.
                slice->stopped.emplace_back(rules[size_t(problemAt)].rule, problem.message);
                rules.erase(rules.begin() + problemAt);
            }
        }
        QMetaObject::invokeMethod(this, [this, slice, cancel] {
            if (!cancel->load())
                takeSlice(slice);
        }, Qt::QueuedConnection);
    });
}

void RowColours::takeSlice(const std::shared_ptr<Slice> &slice)
{
    m_running = false;
    if (slice->epoch != m_epoch)
        return;
    for (const auto &[rule, message] : slice->stopped)
        m_rules->stopRule(rule, message);
    for (int row = slice->from; row < slice->to; ++row) {
        const size_t i = size_t(row - slice->from);
        if (size_t(row) < m_rowRule.size())
            m_rowRule[size_t(row)] = slice->codes[i];
        setPathRule(slice->pathIds[i], slice->codes[i]);
    }
    m_walked = slice->to;
    emit rowsColoured();
    if (m_walked < m_events->rowCount())
        startSlice();
}

int RowColours::ruleOfRow(int row)
{
    if (!m_rules->isEnabled() || row < 0 || row >= m_events->rowCount())
        return kNone;
    if (size_t(row) >= m_rowRule.size())
        m_rowRule.resize(size_t(m_events->rowCount()), kUnknownCode);
    quint8 code = m_rowRule[size_t(row)];
    if (code == kUnknownCode) {
        if (m_spentNs >= m_budgetNs)
            return kUnknown; // the worker will get there; rowsColoured() repaints
        if (!m_budgetResetQueued) {
            m_budgetResetQueued = true;
            QTimer::singleShot(0, this, [this] {
                m_spentNs = 0;
                m_budgetResetQueued = false;
            });
        }
        QElapsedTimer timer;
        timer.start();
        int problemAt = -1;
        filter::MatchProblem problem;
        const std::vector<ColouringRules::Compiled> &rules = m_rules->compiled();
        code = firstMatch(rules, m_events->recordAt(row), &problemAt, &problem);
        m_spentNs += timer.nsecsElapsed();
        m_rowRule[size_t(row)] = code;
        setPathRule(m_events->pathIdAt(row), code);
        if (problemAt >= 0)
            m_rules->stopRule(rules[size_t(problemAt)].rule, problem.message); // changes `rules`: last
    }
    return code == kNoneCode ? kNone : int(code);
}

void RowColours::setPathRule(quint32 pathId, quint8 code)
{
    if (pathId == 0 || code == kNoneCode) // id 0: invocation-level events belong to no step
        return;
    if (pathId >= m_pathRule.size())
        m_pathRule.resize(size_t(pathId) + 1, kNoneCode);
    if (code < m_pathRule[pathId]) {
        m_pathRule[pathId] = code;
        if (!m_stepsLater.isActive())
            m_stepsLater.start();
    }
}

int RowColours::ruleOfPath(const QString &path)
{
    if (!m_rules->isEnabled() || path.isEmpty())
        return kNone;
    auto it = m_pathIds.constFind(path);
    if (it == m_pathIds.constEnd()) {
        const QStringList paths = m_events->paths();
        if (paths.size() <= m_pathIds.size() + 1)
            return kNone;
        for (qsizetype id = m_pathIds.size() + 1; id < paths.size(); ++id)
            m_pathIds.insert(paths[id], quint32(id));
        it = m_pathIds.constFind(path);
        if (it == m_pathIds.constEnd())
            return kNone;
    }
    const quint32 id = *it;
    if (id >= m_pathRule.size() || m_pathRule[id] == kNoneCode)
        return kNone;
    return int(m_pathRule[id]);
}

const ColouringRule *RowColours::rule(int index) const
{
    if (index < 0 || index >= m_rules->rules().size())
        return nullptr;
    return &m_rules->rules()[index];
}

} // namespace invoke::ui
