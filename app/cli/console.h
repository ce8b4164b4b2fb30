#pragma once
// Where invoke-cli writes: results on stdout, diagnostics on stderr, both UTF-8.
#include <QtCore/QList>
#include <QtCore/QStringList>

namespace invoke::cli {

void printOut(const QString &text); // flushed at once, so streamed text shows as it comes
void printErr(const QString &text);

// Rows as aligned columns (the first row is the header): every column but the last is
// padded to its widest cell; each line ends with a newline.
QString columns(const QList<QStringList> &rows);

} // namespace invoke::cli
