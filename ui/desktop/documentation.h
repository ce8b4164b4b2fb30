#pragma once
#include <QtCore/QString>

namespace invoke::ui {

// Where Help ▸ Documentation points: the installed copy (<prefix>/share/doc/invoke-studio,
// next to the program's bin/), else the docs/ folder of the source tree the program was
// built from. Empty when neither exists (a moved build).
QString documentationFolder();

// Opens documentationFolder() with the desktop's handler (QDesktopServices); false with
// `error` when there is none or it could not be opened.
bool openDocumentation(QString *error);

} // namespace invoke::ui
