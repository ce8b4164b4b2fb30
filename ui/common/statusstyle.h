#pragma once
#include <QtGui/QColor>
#include <QtGui/QPalette>

namespace invoke::ui {

// How a status (a step's, or a whole run's: "running", "success", "error", "skipped",
// "cancelled") is shown outside the step tree: the same icons as the tree and a text
// colour that reads on the palette's background. Colour is never the only signal: an
// icon and the word go with it.
struct StatusStyle
{
    QString iconPath; // ":/icons/status-….svg", empty for an unknown status
    QColor color;
};

StatusStyle statusStyle(const QString &status, const QPalette &palette);
bool isDark(const QPalette &palette);

// "<img …> <span style='color:…'>text</span>" for rich-text labels.
QString statusHtml(const QString &status, const QString &text, const QPalette &palette);

} // namespace invoke::ui
