#pragma once
// The colouring rules in use: the ordered list (saved in the studio's settings), each
// enabled rule's filter parsed once, and the rules stopped because their filter proved too
// costly on some event (a regular expression that hit its limit, docs/filters.md "Cost
// limits"): a stopped rule colours nothing more until the rules are edited.
#include "core/filter/filter.h"
#include "ui/colouring/colouringrule.h"

#include <QtCore/QObject>

#include <vector>

class QSettings;

namespace invoke::ui {

class ColouringRules : public QObject
{
    Q_OBJECT
public:
    struct Compiled
    {
        int rule = 0; // index in rules()
        filter::Filter filter;
    };

    // Read from and saved to `settings`; nullptr keeps them in memory (the defaults).
    explicit ColouringRules(QSettings *settings, QObject *parent = nullptr);

    const QList<ColouringRule> &rules() const { return m_rules; }
    // Replaces the list, saves it and starts colouring again from scratch.
    void setRules(const QList<ColouringRule> &rules);

    bool isEnabled() const { return m_enabled; }
    void setEnabled(bool enabled);

    // The enabled rules whose filter parses and that are not stopped, in order.
    const std::vector<Compiled> &compiled() const { return m_compiled; }
    // Counts per edit of the rules: colours computed for an older one are dropped.
    quint64 generation() const { return m_generation; }

    // Stops `rule` (an index in rules()) for the reason `message`; the colours already
    // computed stay (the rule did not match there).
    void stopRule(int rule, const QString &message);
    // Why rules are not colouring: rules whose text does not parse, rules stopped. Empty
    // when every enabled rule colours.
    QStringList problems() const;

signals:
    // The list, its enabled state or a stopped rule changed: colours must be computed again
    // (or, for a stopped rule, need not be).
    void changed();
    void ruleStopped(int rule, const QString &message);

private:
    void compile();

    QSettings *m_settings;
    QList<ColouringRule> m_rules;
    std::vector<Compiled> m_compiled;
    QStringList m_parseProblems;
    QStringList m_stopped;
    QList<int> m_stoppedRules;
    bool m_enabled = true;
    quint64 m_generation = 1;
};

} // namespace invoke::ui
