#include "ui/events/eventdetail.h"

#include "ui/events/eventfilterproxy.h"
#include "ui/events/eventlistmodel.h"

#include "core/model/json/json.h"

#include <QtWidgets/QAbstractItemView>
#include <QtWidgets/QPlainTextEdit>

namespace invoke::ui {

QString eventDetailText(QByteArrayView raw)
{
    const Json parsed = parseJson(raw, nullptr, kJsonMaxWireDepth);
    return parsed.is_discarded() ? QString::fromUtf8(raw.data(), raw.size()) : QString::fromUtf8(dumpJson(parsed, 2));
}

void showCurrentEvent(const QAbstractItemView *view, const EventFilterProxy *proxy, const EventListModel *events,
                      QPlainTextEdit *detail)
{
    const QModelIndex index = proxy->mapToSource(view->currentIndex());
    if (!index.isValid()) {
        detail->clear();
        return;
    }
    detail->setPlainText(eventDetailText(events->rawAt(index.row())));
}

} // namespace invoke::ui
