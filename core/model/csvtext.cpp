#include "core/model/csvtext.h"

#include <QtCore/QStringDecoder>

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
    CsvRow row{1, {}};
    QString field;
    bool inQuotes = false;
    bool fieldStarted = false;
    int line = 1;
    int quoteLine = 0;
    const auto endField = [&] {
        row.fields.append(field);
        field.clear();
        fieldStarted = false;
    };
    const auto endRow = [&] {
        endField();
        const bool blank = row.fields.size() == 1 && row.fields.first().trimmed().isEmpty();
        if (!blank)
            rows.append(row);
        row = CsvRow{line + 1, {}};
    };
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (inQuotes) {
            if (c == u'"' && i + 1 < text.size() && text.at(i + 1) == u'"') {
                field += u'"';
                ++i;
            } else if (c == u'"') {
                inQuotes = false;
            } else {
                if (c == u'\n')
                    ++line;
                field += c;
            }
        } else if (c == u',') {
            endField();
        } else if (c == u'"' && !fieldStarted) {
            inQuotes = true;
            fieldStarted = true;
            quoteLine = line;
        } else if (c == u'\r' || c == u'\n') {
            if (c == u'\r' && i + 1 < text.size() && text.at(i + 1) == u'\n')
                ++i;
            endRow();
            ++line;
        } else {
            field += c;
            fieldStarted = true;
        }
    }
    if (inQuotes) {
        *refusal = {quoteLine, u"a quoted field is not closed"_s};
        return std::nullopt;
    }
    if (fieldStarted || !row.fields.isEmpty())
        endRow();
    return rows;
}

} // namespace invoke
