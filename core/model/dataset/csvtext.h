#pragma once
// Text files people hand the tools (datasets, batch inputs): UTF-8 checked with the line
// of the first bad byte, and CSV split into rows by RFC 4180.
#include <QtCore/QStringList>

#include <functional>
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

// The same reading, fed in pieces of any size (a file read in blocks): each row is
// handed to `onRow` as soon as it ends, so memory holds one row, not the file. `onRow`
// returns false to stop. A row longer than `maxRowChars` (a quote left open in a large
// file reads the rest of it as one field) is refused with the line it started on.
class CsvStreamParser
{
public:
    using RowSink = std::function<bool(CsvRow &&row)>;
    explicit CsvStreamParser(RowSink onRow, qsizetype maxRowChars = -1);

    // False when a row was refused (problem()) or `onRow` asked to stop (stopped()).
    bool feed(QStringView piece);
    bool finish();

    bool stopped() const { return m_stopped; }
    const TextProblem &problem() const { return m_problem; }

private:
    bool consume(QStringView text, bool last);
    bool endRow();

    RowSink m_onRow;
    qsizetype m_maxRowChars;
    CsvRow m_row{1, {}};
    QString m_field;
    QString m_carry; // a last '"' or '\r' whose meaning depends on the next character
    qsizetype m_rowChars = 0;
    bool m_inQuotes = false;
    bool m_fieldStarted = false;
    bool m_stopped = false;
    bool m_failed = false;
    int m_line = 1;
    int m_quoteLine = 0;
    TextProblem m_problem;
};

} // namespace invoke
