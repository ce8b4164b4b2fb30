#include "ui/colouring/colouringrule.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QSettings>

using namespace Qt::StringLiterals;

namespace invoke::ui {

namespace {

const QString kRules = u"colouring/rules"_s;
const QString kSaved = u"colouring/saved"_s; // set once rules were saved: an empty list is a choice
const QString kEnabled = u"colouring/enabled"_s;

QString tr(const char *text)
{
    return QCoreApplication::translate("ColouringRule", text);
}

QString colourText(const QColor &colour)
{
    return colour.isValid() ? colour.name(QColor::HexRgb) : QString();
}

} // namespace

QList<ColouringRule> defaultColouringRules()
{
    // Dark text on light tints: readable on the light and the dark theme alike, since
    // both colours are set.
    return {
        {tr("Errors"), u"status == \"error\""_s, QColor(0x7a, 0x0b, 0x0b), QColor(0xff, 0xd7, 0xd4), true},
        // A replay step that was not answered from the cache says why in metadata.replay_miss
        // (docs/events.md); older runs and other servers only say replay_stored. The type test
        // first: the metadata test then parses only step_finished events.
        {tr("Replay misses"),
         u"type == \"step_finished\" and (metadata.replay_miss or source == \"replay_stored\")"_s,
         QColor(0x5c, 0x40, 0x00), QColor(0xff, 0xec, 0xb3), true},
        {tr("Slow steps"), u"duration_ms > 1000"_s, QColor(0x0b, 0x33, 0x7a), QColor(0xd9, 0xe6, 0xff), true},
    };
}

QList<ColouringRule> loadColouringRules(const QSettings &settings)
{
    if (!settings.value(kSaved, false).toBool())
        return defaultColouringRules();
    // QSettings::beginReadArray needs a non-const object; read the flat keys instead.
    QList<ColouringRule> rules;
    const int size = settings.value(kRules + u"/size"_s, 0).toInt();
    for (int i = 1; i <= size && rules.size() < kMaxColouringRules; ++i) {
        const QString prefix = kRules + u'/' + QString::number(i) + u'/';
        ColouringRule rule;
        rule.name = settings.value(prefix + u"name"_s).toString();
        rule.filter = settings.value(prefix + u"filter"_s).toString();
        rule.foreground = QColor::fromString(settings.value(prefix + u"foreground"_s).toString());
        rule.background = QColor::fromString(settings.value(prefix + u"background"_s).toString());
        rule.enabled = settings.value(prefix + u"enabled"_s, true).toBool();
        rules.append(rule);
    }
    return rules;
}

void saveColouringRules(QSettings &settings, const QList<ColouringRule> &rules)
{
    settings.remove(kRules);
    settings.beginWriteArray(kRules, int(qMin(rules.size(), qsizetype(kMaxColouringRules))));
    for (int i = 0; i < rules.size() && i < kMaxColouringRules; ++i) {
        settings.setArrayIndex(i);
        settings.setValue(u"name"_s, rules[i].name);
        settings.setValue(u"filter"_s, rules[i].filter);
        settings.setValue(u"foreground"_s, colourText(rules[i].foreground));
        settings.setValue(u"background"_s, colourText(rules[i].background));
        settings.setValue(u"enabled"_s, rules[i].enabled);
    }
    settings.endArray();
    settings.setValue(kSaved, true);
}

bool loadColouringEnabled(const QSettings &settings)
{
    return settings.value(kEnabled, true).toBool();
}

void saveColouringEnabled(QSettings &settings, bool enabled)
{
    settings.setValue(kEnabled, enabled);
}

} // namespace invoke::ui
