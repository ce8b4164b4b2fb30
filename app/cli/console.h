#pragma once
// Where invoke-cli writes: results on stdout, diagnostics on stderr, both UTF-8.
#include <QtCore/QString>

namespace invoke::cli {

void printOut(const QString &text); // flushed at once, so streamed text shows as it comes
void printErr(const QString &text);

} // namespace invoke::cli
