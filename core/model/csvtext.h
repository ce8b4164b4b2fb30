#pragma once
// Text files people hand the tools (datasets, batch inputs): UTF-8 checked with the line
// of the first bad byte, and CSV split into rows by RFC 4180.
#include <QtCore/QStringList>

#include <optional>

namespace invoke {

// Why a text file was refused, and where (1-based line).
struct TextProblem
{
    int line = 0;
    QString reason;
};

// The bytes as text (a leading byte-order mark dropped); nullopt with the first line
// that is not UTF-8.
std::optional<QString> decodeUtf8Text(const QByteArray &bytes, TextProblem *problem);

struct CsvRow
{
    int line = 0; // where the row starts, 1-based
    QStringList fields;
};

// RFC 4180, leniently: quoted fields may hold commas, quotes as "" and line breaks; a
// quote inside an unquoted field is kept as text; blank lines are skipped. nullopt when a
// quoted field is never closed (the problem names the line it opened on).
std::optional<QList<CsvRow>> parseCsv(const QString &text, TextProblem *problem);

} // namespace invoke
