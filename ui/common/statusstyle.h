#pragma once
#include "core/model/invocation/runvalues.h"

#include <QtGui/QColor>
#include <QtGui/QPalette>

#include <optional>

namespace invoke::ui {

// How a status (a step's, or a whole run's: running, success, error, skipped,
// cancelled; none for a neutral state) is shown outside the step tree: the same icons as the tree and a text
// colour that reads on the palette's background. Colour is never the only signal: an
// icon and the word go with it.
struct StatusStyle
{
    QString iconPath; // ":/icons/status-….svg", empty for no status
    QColor color;
};

StatusStyle statusStyle(std::optional<StepStatus> status, const QPalette &palette);
bool isDark(const QPalette &palette);

// "<img …> <span style='color:…'>text</span>" for rich-text labels.
QString statusHtml(std::optional<StepStatus> status, const QString &text, const QPalette &palette);

} // namespace invoke::ui
