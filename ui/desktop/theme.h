#pragma once
#include <QtCore/QString>

class QSettings;

namespace invoke::ui {

// View ▸ Theme. System keeps the platform's style and palette as the application started
// with them; Light and Dark use the Fusion style with a light or a dark palette (Qt 6.4
// has no colour-scheme switch of its own). Kept in settings as "view/theme".
enum class Theme { System, Light, Dark };

QString themeName(Theme theme);            // "system", "light", "dark"
Theme themeFromName(const QString &name);  // System for anything else
Theme savedTheme(const QSettings &settings);
void saveTheme(QSettings &settings, Theme theme);
// Applies `theme` to the whole application (every window, every dialog opened later).
void applyTheme(Theme theme);

} // namespace invoke::ui
