#pragma once
// One colouring rule (docs/filters.md, "Colouring rules"): events a display filter matches
// are painted in its colours, and a step takes the colours of the first rule any of its
// events match. Rules are kept in the studio's settings, in order; no secret ever goes there
// (a rule is a name, a filter text and two colours).
#include <QtCore/QList>
#include <QtCore/QString>
#include <QtGui/QColor>

class QSettings;

namespace invoke::ui {

struct ColouringRule
{
    QString name;
    QString filter;     // display-filter text (core/filter/filter.h)
    QColor foreground;  // invalid: the view's own text colour
    QColor background;  // invalid: the view's own background
    bool enabled = true;

    bool operator==(const ColouringRule &other) const = default;
};

// The most rules a list keeps (each row remembers its rule in one byte).
inline constexpr int kMaxColouringRules = 200;

// Errors, replay misses and slow steps, in that order.
QList<ColouringRule> defaultColouringRules();

// The rules saved in `settings` (colouring/rules), or the defaults when none were ever
// saved. At most kMaxColouringRules.
QList<ColouringRule> loadColouringRules(const QSettings &settings);
void saveColouringRules(QSettings &settings, const QList<ColouringRule> &rules);

// Whether the views paint colours at all (View > Colour Events; colouring/enabled).
bool loadColouringEnabled(const QSettings &settings);
void saveColouringEnabled(QSettings &settings, bool enabled);

} // namespace invoke::ui
