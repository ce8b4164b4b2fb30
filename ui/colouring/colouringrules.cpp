#include "ui/colouring/colouringrules.h"

#include <QtCore/QSettings>

namespace invoke::ui {

ColouringRules::ColouringRules(QSettings *settings, QObject *parent)
    : QObject(parent), m_settings(settings)
{
    if (m_settings) {
        m_rules = loadColouringRules(*m_settings);
        m_enabled = loadColouringEnabled(*m_settings);
    } else {
        m_rules = defaultColouringRules();
    }
    compile();
}

void ColouringRules::setRules(const QList<ColouringRule> &rules)
{
    m_rules = rules.mid(0, kMaxColouringRules);
    if (m_settings)
        saveColouringRules(*m_settings, m_rules);
    m_stopped.clear();
    m_stoppedRules.clear();
    ++m_generation;
    compile();
    emit changed();
}

void ColouringRules::setEnabled(bool enabled)
{
    if (enabled == m_enabled)
        return;
    m_enabled = enabled;
    if (m_settings)
        saveColouringEnabled(*m_settings, enabled);
    ++m_generation;
    emit changed();
}

void ColouringRules::compile()
{
    m_compiled.clear();
    m_parseProblems.clear();
    for (int i = 0; i < m_rules.size(); ++i) {
        const ColouringRule &rule = m_rules[i];
        if (!rule.enabled || m_stoppedRules.contains(i))
            continue;
        filter::ParseError error;
        const std::optional<filter::Filter> parsed = filter::Filter::parse(rule.filter, &error);
        if (!parsed) {
            m_parseProblems << tr("Colouring rule “%1” is not a filter (column %2: %3)")
                                   .arg(rule.name).arg(error.column()).arg(error.message);
            continue;
        }
        m_compiled.push_back({i, *parsed});
    }
}

void ColouringRules::stopRule(int rule, const QString &message)
{
    if (rule < 0 || rule >= m_rules.size() || m_stoppedRules.contains(rule))
        return;
    m_stoppedRules.append(rule);
    const QString text = tr("Colouring rule “%1” stopped: %2").arg(m_rules[rule].name, message);
    m_stopped << text;
    std::erase_if(m_compiled, [rule](const Compiled &c) { return c.rule == rule; });
    // The colours computed so far stay valid (a too costly match counts as no match), so
    // the generation does not change: no work is thrown away.
    emit ruleStopped(rule, text);
}

QStringList ColouringRules::problems() const
{
    return m_parseProblems + m_stopped;
}

} // namespace invoke::ui
