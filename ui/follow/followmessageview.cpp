#include "ui/follow/followmessageview.h"

#include "ui/events/eventfilterproxy.h"
#include "ui/events/eventlistmodel.h"
#include "ui/follow/findbar.h"
#include "ui/follow/followfilters.h"

#include <QtGui/QFontDatabase>
#include <QtGui/QTextCursor>
#include <QtGui/QTextDocument>
#include <QtWidgets/QLabel>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QScrollBar>
#include <QtWidgets/QVBoxLayout>

using namespace Qt::StringLiterals;

namespace invoke::ui {

FollowMessageView::FollowMessageView(EventListModel *events, const QString &messageContentId, QWidget *parent)
    : QWidget(parent, Qt::Window), m_events(events), m_proxy(new EventFilterProxy(this)), m_id(messageContentId),
      m_status(new QLabel(this)), m_text(new QPlainTextEdit(this)), m_find(new FindBar(this, this))
{
    setObjectName(u"followMessage"_s);
    setAttribute(Qt::WA_DeleteOnClose);
    setWindowTitle(tr("Follow Message %1").arg(messageContentId));
    m_status->setObjectName(u"followStatus"_s);
    m_text->setObjectName(u"followText"_s);
    m_text->setReadOnly(true);
    m_text->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_text->setPlaceholderText(tr("Finding the message's text…"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(m_status);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_find);

    m_proxy->setSourceModel(events);
    // Until the filter is matched the proxy shows every event: nothing is read before.
    connect(m_proxy, &EventFilterProxy::filterApplied, this, [this] {
        if (!m_ready) {
            m_ready = true;
            rebuild();
        }
    });
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex &, int first, int last) {
        if (m_ready)
            append(first, last);
    });
    connect(m_proxy, &QAbstractItemModel::modelReset, this, [this] {
        if (m_ready)
            rebuild();
    });
    connect(m_find, &FindBar::findRequested, this, &FollowMessageView::find);
    // The deltas so far from the list's index of messages (no pass over a million events),
    // the ones to come matched by the filter as they arrive.
    m_proxy->setFilterWithMatches(*filter::Filter::parse(messageFilterText(messageContentId)),
                                  events->messageRows(messageContentId));
    updateStatus();
    resize(640, 480);
}

QString FollowMessageView::text() const
{
    return m_text->toPlainText();
}

QString FollowMessageView::statusText() const
{
    return m_status->text();
}

void FollowMessageView::rebuild()
{
    m_deltas = 0;
    m_text->clear();
    m_step.clear();
    if (m_proxy->rowCount() > 0)
        append(0, m_proxy->rowCount() - 1);
    else
        updateStatus();
}

void FollowMessageView::append(int first, int last)
{
    QString added;
    for (int row = first; row <= last; ++row) {
        const int source = m_proxy->mapToSource(m_proxy->index(row, 0)).row();
        added += messageTextAt(*m_events, source);
        if (m_step.isEmpty())
            m_step = m_events->pathAt(source);
        ++m_deltas;
    }
    // Keep reading the end when the reader was there; leave them where they are otherwise.
    QScrollBar *bar = m_text->verticalScrollBar();
    const bool atEnd = bar->value() >= bar->maximum() - 2;
    QTextCursor cursor(m_text->document());
    cursor.movePosition(QTextCursor::End);
    cursor.insertText(added);
    if (atEnd)
        bar->setValue(bar->maximum());
    updateStatus();
    emit textGrew();
}

void FollowMessageView::updateStatus()
{
    if (!m_ready) {
        m_status->setText(tr("Message %1: finding its text…").arg(m_id));
        return;
    }
    const QString step = m_step.isEmpty() ? QString() : tr(" of step %1").arg(m_step);
    m_status->setText(tr("Message %1%2: %L3 deltas, %L4 characters")
                          .arg(m_id, step)
                          .arg(m_deltas)
                          .arg(m_text->document()->characterCount() - 1));
}

void FollowMessageView::find(const QString &text, bool forward, bool incremental)
{
    QTextDocument::FindFlags flags;
    if (!forward)
        flags |= QTextDocument::FindBackward;
    QTextCursor cursor = m_text->textCursor();
    if (incremental) // typing: the match may grow where it stands
        cursor.setPosition(cursor.selectionStart());
    QTextCursor found = m_text->document()->find(text, cursor, flags);
    if (found.isNull()) { // wrap around
        QTextCursor from(m_text->document());
        if (!forward)
            from.movePosition(QTextCursor::End);
        found = m_text->document()->find(text, from, flags);
    }
    if (found.isNull()) {
        m_find->setResult(false, tr("Not found"));
        return;
    }
    m_text->setTextCursor(found);
    m_text->ensureCursorVisible();
    // Which match of how many: counted in the text as it is now.
    const QString all = m_text->toPlainText();
    int total = 0;
    int index = 0;
    for (qsizetype at = all.indexOf(text, 0, Qt::CaseInsensitive); at >= 0;
         at = all.indexOf(text, at + 1, Qt::CaseInsensitive)) {
        ++total;
        if (at <= found.selectionStart())
            index = total;
    }
    m_find->setResult(true, tr("%1 of %2").arg(index).arg(total));
}

} // namespace invoke::ui
