#pragma once
#include <QtCore/QSortFilterProxyModel>

namespace invoke::ui {

class EventListModel;

// Filters the raw event list. The three filters combine (all must match); an empty
// filter matches everything. Setters apply at once: debounce typing in the view.
class EventFilterProxy : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit EventFilterProxy(QObject *parent = nullptr);

    void setSourceModel(QAbstractItemModel *model) override;

    // Case-insensitive substring of the type, the step path or the raw JSON.
    void setText(const QString &text);
    QString text() const { return m_text; }
    // Exact event type ("message_content"); empty for all.
    void setTypeFilter(const QString &type);
    QString typeFilter() const { return m_type; }
    // A step and the steps nested under it ("research" keeps "research/summarise");
    // empty for all.
    void setStepFilter(const QString &path);
    QString stepFilter() const { return m_step; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    bool textMatches(int sourceRow) const;

    EventListModel *m_events = nullptr; // the source, when it is one: fast typed access
    QString m_text;
    QByteArray m_textLatin1; // the text, when it is ASCII: searched in the raw bytes as is
    QString m_type;
    QString m_step;
};

} // namespace invoke::ui
