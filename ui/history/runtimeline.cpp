#include "ui/history/runtimeline.h"

#include "ui/common/statusstyle.h"
#include "ui/steps/steptreemodel.h"

#include "core/format/labels.h"

#include <QtGui/QHelpEvent>
#include <QtGui/QPainter>
#include <QtWidgets/QToolTip>

using namespace Qt::StringLiterals;

namespace invoke::ui {

namespace {

constexpr int kRowHeight = 20;
constexpr int kLabelWidth = 190;
constexpr int kAxisHeight = 22;
constexpr int kIndent = 12;

QString msText(qint64 ms)
{
    return ms < 1000 ? u"%1 ms"_s.arg(ms) : u"%1 s"_s.arg(ms / 1000.0, 0, 'f', ms < 10000 ? 2 : 1);
}

} // namespace

RunTimeline::RunTimeline(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(u"runTimeline"_s);
    setMouseTracking(true);
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::Base);
}

void RunTimeline::setModel(QAbstractItemModel *model)
{
    if (m_model)
        disconnect(m_model, nullptr, this, nullptr);
    m_model = model;
    if (m_model) {
        const auto changed = [this] {
            m_dirty = true;
            updateGeometry();
            update(); // one repaint per frame, however many batches arrived
        };
        connect(m_model, &QAbstractItemModel::rowsInserted, this, changed);
        connect(m_model, &QAbstractItemModel::rowsRemoved, this, changed);
        connect(m_model, &QAbstractItemModel::dataChanged, this, changed);
        connect(m_model, &QAbstractItemModel::modelReset, this, changed);
        connect(m_model, &QAbstractItemModel::layoutChanged, this, changed);
    }
    m_dirty = true;
    update();
}

QList<RunTimeline::Bar> RunTimeline::bars() const
{
    const_cast<RunTimeline *>(this)->rebuild();
    return m_bars;
}

qint64 RunTimeline::spanMs() const
{
    const_cast<RunTimeline *>(this)->rebuild();
    return m_span;
}

void RunTimeline::rebuild()
{
    if (!m_dirty)
        return;
    m_dirty = false;
    m_bars.clear();
    m_span = 0;
    if (!m_model)
        return;
    collect({}, 0);
    // The axis reaches the newest time seen: a finished step's end, a running one's start.
    for (const Bar &bar : std::as_const(m_bars))
        m_span = qMax(m_span, bar.startMs + qMax<qint64>(bar.durationMs, 0));
    markSlowest();
}

void RunTimeline::collect(const QModelIndex &parent, int depth)
{
    for (int row = 0; row < m_model->rowCount(parent); ++row) {
        const QModelIndex index = m_model->index(row, 0, parent);
        const StepRecord step = index.data(StepTreeModel::StepRecordRole).value<StepRecord>();
        Bar bar;
        bar.path = step.path;
        bar.depth = depth;
        bar.startMs = qMax<qint64>(step.startedMs, 0);
        bar.durationMs = step.status == StepStatus::Running ? -1 : qMax<qint64>(step.durationMs, 0);
        bar.status = int(step.status);
        m_bars.append(bar);
        collect(index, depth + 1);
    }
}

void RunTimeline::markSlowest()
{
    // From the top level down: the longest bar among the children of the last one marked.
    int parentDepth = -1;
    qsizetype from = 0, to = m_bars.size();
    while (from < to) {
        qsizetype slowest = -1;
        for (qsizetype i = from; i < to; ++i) {
            if (m_bars.at(i).depth != parentDepth + 1)
                continue;
            const qint64 d = m_bars.at(i).durationMs < 0 ? m_span - m_bars.at(i).startMs : m_bars.at(i).durationMs;
            const qint64 best = slowest < 0 ? -1
                : (m_bars.at(slowest).durationMs < 0 ? m_span - m_bars.at(slowest).startMs : m_bars.at(slowest).durationMs);
            if (d > best)
                slowest = i;
        }
        if (slowest < 0)
            break;
        m_bars[slowest].slowest = true;
        parentDepth = m_bars.at(slowest).depth;
        // Its nested steps follow it, until a bar at its depth or above.
        from = slowest + 1;
        to = from;
        while (to < m_bars.size() && m_bars.at(to).depth > parentDepth)
            ++to;
    }
}

QSize RunTimeline::sizeHint() const
{
    return {640, kAxisHeight + int(bars().size()) * kRowHeight + 8};
}

int RunTimeline::barAt(const QPoint &pos) const
{
    const int row = (pos.y() - kAxisHeight) / kRowHeight;
    return pos.y() >= kAxisHeight && row >= 0 && row < m_bars.size() ? row : -1;
}

bool RunTimeline::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        rebuild();
        const int row = barAt(help->pos());
        if (row < 0) {
            QToolTip::hideText();
            return true;
        }
        const Bar &bar = m_bars.at(row);
        QString text = u"%1\nstarted at %2"_s.arg(bar.path, msText(bar.startMs));
        text += bar.durationMs < 0 ? tr("\nrunning") : tr("\ntook %1").arg(msText(bar.durationMs));
        if (bar.slowest)
            text += tr("\non the slowest path");
        QToolTip::showText(help->globalPos(), text, this);
        return true;
    }
    return QWidget::event(event);
}

void RunTimeline::paintEvent(QPaintEvent *)
{
    rebuild();
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette pal = palette();
    const int plotLeft = kLabelWidth + 8;
    const int plotWidth = qMax(40, width() - plotLeft - 12);
    const double scale = m_span > 0 ? double(plotWidth) / double(m_span) : 0.0;

    // The axis: 0, and about five ticks.
    p.setPen(pal.color(QPalette::Mid));
    p.drawLine(plotLeft, kAxisHeight - 4, plotLeft + plotWidth, kAxisHeight - 4);
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    p.setFont(small);
    if (m_span > 0) {
        for (int i = 0; i <= 5; ++i) {
            const qint64 at = m_span * i / 5;
            const int x = plotLeft + int(at * scale);
            p.setPen(pal.color(QPalette::Midlight));
            p.drawLine(x, kAxisHeight - 4, x, height());
            p.setPen(pal.color(QPalette::PlaceholderText));
            const QString label = msText(at);
            const int w = p.fontMetrics().horizontalAdvance(label);
            p.drawText(qBound(0, x - w / 2, width() - w), kAxisHeight - 8, label);
        }
    } else {
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(rect().adjusted(8, kAxisHeight, -8, 0), Qt::AlignLeft | Qt::AlignTop,
                   tr("The steps of a run appear here as it streams."));
    }
    p.setFont(font());

    for (int row = 0; row < m_bars.size(); ++row) {
        const Bar &bar = m_bars.at(row);
        const int y = kAxisHeight + row * kRowHeight;
        if (row % 2)
            p.fillRect(0, y, width(), kRowHeight, pal.color(QPalette::AlternateBase));
        p.setPen(pal.color(QPalette::Text));
        QFont f = font();
        f.setBold(bar.slowest);
        p.setFont(f);
        const QString name = bar.path.section(u'/', -1);
        p.drawText(QRect(4 + bar.depth * kIndent, y, kLabelWidth - bar.depth * kIndent, kRowHeight),
                   Qt::AlignVCenter | Qt::AlignLeft,
                   p.fontMetrics().elidedText(name, Qt::ElideRight, kLabelWidth - bar.depth * kIndent));
        const qint64 duration = bar.durationMs < 0 ? m_span - bar.startMs : bar.durationMs;
        const int x = plotLeft + int(bar.startMs * scale);
        const int w = qMax(3, int(duration * scale));
        QColor colour = statusStyle(StepStatus(bar.status), pal).color;
        if (bar.slowest)
            colour = QColor(0xd9, 0x73, 0x06);
        const QRectF box(x, y + 4, w, kRowHeight - 8);
        p.setPen(Qt::NoPen);
        p.setBrush(bar.durationMs < 0 ? colour.lighter(140) : colour);
        p.drawRoundedRect(box, 3, 3);
        if (bar.durationMs < 0) { // still running: an open end
            p.setPen(QPen(colour, 1, Qt::DashLine));
            p.drawLine(QPointF(box.right(), box.top()), QPointF(box.right(), box.bottom()));
        }
        p.setPen(pal.color(QPalette::Text));
        p.setFont(small);
        const QString label = bar.durationMs < 0 ? tr("running") : msText(bar.durationMs);
        const int lw = p.fontMetrics().horizontalAdvance(label);
        const int lx = x + w + 4 + lw < width() ? x + w + 4 : x - lw - 4;
        p.drawText(QRect(lx, y, lw + 2, kRowHeight), Qt::AlignVCenter, label);
        p.setFont(font());
    }
    if (!m_bars.isEmpty()) {
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.setFont(small);
        p.fillRect(QRect(4, 6, 10, 8), QColor(0xd9, 0x73, 0x06));
        p.drawText(QRect(18, 0, kLabelWidth, kAxisHeight - 4), Qt::AlignVCenter, tr("slowest path"));
    }
}

} // namespace invoke::ui
