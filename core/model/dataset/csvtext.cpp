#include "core/model/dataset/csvtext.h"

#include <QtCore/QStringDecoder>

#include <utility>

using namespace Qt::StringLiterals;

namespace invoke {

std::optional<QString> decodeUtf8Text(const QByteArray &bytes, TextProblem *refusal)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString text = decoder.decode(bytes);
    if (!decoder.hasError()) {
        if (text.startsWith(QChar(0xfeff)))
            text.remove(0, 1);
        return text;
    }
    int line = 1;
    for (const QByteArray &part : bytes.split('\n')) {
        QStringDecoder lineDecoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
        // The line end makes a sequence cut short at the end of the line an error too.
        const QString decoded = lineDecoder.decode(part + '\n'); // decode() is lazy: convert
        Q_UNUSED(decoded);
        if (lineDecoder.hasError())
            break;
        ++line;
    }
    *refusal = {line, u"the file is not UTF-8 text"_s};
    return std::nullopt;
}

std::optional<QList<CsvRow>> parseCsv(const QString &text, TextProblem *refusal)
{
    QList<CsvRow> rows;
    CsvStreamParser parser([&rows](CsvRow &&row) {
        rows.append(std::move(row));
        return true;
    });
    if (!parser.feed(text) || !parser.finish()) {
        *refusal = parser.problem();
        return std::nullopt;
    }
    return rows;
}

CsvStreamParser::CsvStreamParser(RowSink onRow, qsizetype maxRowChars)
    : m_onRow(std::move(onRow)), m_maxRowChars(maxRowChars)
{
}

bool CsvStreamParser::feed(QStringView piece)
{
    if (m_failed || m_stopped)
        return false;
    if (m_carry.isEmpty())
        return consume(piece, false);
    const QString joined = m_carry + piece;
    m_carry.clear();
    return consume(joined, false);
}

bool CsvStreamParser::finish()
{
    if (m_failed || m_stopped)
        return false;
    const QString rest = std::exchange(m_carry, QString());
    if (!consume(rest, true))
        return false;
    if (m_inQuotes) {
        m_problem = {m_quoteLine, u"a quoted field is not closed"_s};
        m_failed = true;
        return false;
    }
    if (m_fieldStarted || !m_row.fields.isEmpty())
        return endRow();
    return true;
}

bool CsvStreamParser::endRow()
{
    m_row.fields.append(std::exchange(m_field, QString()));
    m_fieldStarted = false;
    m_rowChars = 0;
    const bool blank = m_row.fields.size() == 1 && m_row.fields.first().trimmed().isEmpty();
    CsvRow row = std::exchange(m_row, CsvRow{m_line + 1, {}});
    if (!blank && !m_onRow(std::move(row))) {
        m_stopped = true;
        return false;
    }
    return true;
}

bool CsvStreamParser::consume(QStringView text, bool last)
{
    const qsizetype size = text.size();
    for (qsizetype i = 0; i < size; ++i) {
        const QChar c = text.at(i);
        // A '"' in quotes or a '\r' at the end of a piece: the next piece says what it is.
        if (!last && i + 1 == size && (c == u'\r' || (m_inQuotes && c == u'"'))) {
            m_carry = c;
            break;
        }
        if (m_inQuotes) {
            if (c == u'"' && i + 1 < size && text.at(i + 1) == u'"') {
                m_field += u'"';
                ++i;
            } else if (c == u'"') {
                m_inQuotes = false;
            } else {
                if (c == u'\n')
                    ++m_line;
                m_field += c;
            }
        } else if (c == u',') {
            m_row.fields.append(std::exchange(m_field, QString()));
            m_fieldStarted = false;
        } else if (c == u'"' && !m_fieldStarted) {
            m_inQuotes = true;
            m_fieldStarted = true;
            m_quoteLine = m_line;
        } else if (c == u'\r' || c == u'\n') {
            if (c == u'\r' && i + 1 < size && text.at(i + 1) == u'\n')
                ++i;
            if (!endRow())
                return false;
            ++m_line;
            continue;
        } else {
            m_field += c;
            m_fieldStarted = true;
        }
        if (m_maxRowChars >= 0 && ++m_rowChars > m_maxRowChars) {
            m_problem = {m_row.line, m_inQuotes
                                         ? u"the row is longer than %1 characters: a quoted field opened on line %2 "
                                           "is not closed"_s.arg(m_maxRowChars).arg(m_quoteLine)
                                         : u"the row is longer than %1 characters"_s.arg(m_maxRowChars)};
            m_failed = true;
            return false;
        }
    }
    return true;
}

} // namespace invoke
