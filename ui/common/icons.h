#pragma once
#include <QtGui/QIcon>

namespace invoke::ui {

// An SVG icon bundled under :/icons ("invoke" -> ":/icons/invoke.svg"). The icons use
// mid-tone colours that read on light and dark palettes alike.
QIcon icon(const QString &name);

} // namespace invoke::ui
