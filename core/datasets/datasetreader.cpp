#include "core/datasets/datasetreader.h"

#include <QtCore/QStringDecoder>

using namespace Qt::StringLiterals;

namespace invoke::datasets {

namespace {

struct Refusal
{
    int line = 0;
    QString reason;
};

MemoryRecord record(const QString &file, int line, QString content, Json metadata = Json::object())
{
    metadata["file"] = toStd(file);
    metadata["line"] = line;
    return MemoryRecord{u"%1:%2"_s.arg(file).arg(line), std::move(content), std::move(metadata)};
}

// The file's lines as text; a refusal names the first line that is not UTF-8.
std::optional<QString> decodeUtf8(const QByteArray &bytes, Refusal *refusal)
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

struct CsvRow
{
    int line = 0;
    QStringList fields;
};

// RFC 4180, leniently: a quote inside an unquoted field is kept as text.
std::optional<QList<CsvRow>> parseCsv(const QString &text, Refusal *refusal)
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

std::optional<QList<MemoryRecord>> readCsv(const QString &text, const QString &file, Refusal *refusal)
{
    auto rows = parseCsv(text, refusal);
    if (!rows)
        return std::nullopt;
    QList<MemoryRecord> records;
    if (rows->isEmpty())
        return records;
    QStringList header;
    for (qsizetype c = 0; c < rows->first().fields.size(); ++c) {
        const QString name = rows->first().fields.at(c).trimmed();
        header.append(name.isEmpty() ? u"column %1"_s.arg(c + 1) : name);
    }
    for (qsizetype r = 1; r < rows->size(); ++r) {
        const CsvRow &row = rows->at(r);
        if (row.fields.size() != header.size()) {
            *refusal = {row.line, u"%1 fields where the header has %2"_s.arg(row.fields.size()).arg(header.size())};
            return std::nullopt;
        }
        QStringList parts;
        Json columns = Json::object();
        for (qsizetype c = 0; c < header.size(); ++c) {
            const QString value = row.fields.at(c).trimmed();
            columns[toStd(header.at(c))] = toStd(value);
            if (!value.isEmpty())
                parts.append(header.at(c) + u": "_s + value);
        }
        records.append(record(file, row.line, parts.join(u"; "_s), Json{{"columns", std::move(columns)}}));
    }
    return records;
}

QString scalarText(const Json &value)
{
    return value.is_string() ? toQString(value.get<std::string>()) : QString::fromUtf8(dumpJson(value));
}

std::optional<QList<MemoryRecord>> readJsonLines(const QByteArray &bytes, const QString &file, Refusal *refusal)
{
    QList<MemoryRecord> records;
    int line = 0;
    for (const QByteArray &raw : bytes.split('\n')) {
        ++line;
        QByteArray trimmed = raw.trimmed();
        if (line == 1 && trimmed.startsWith("\xEF\xBB\xBF"))
            trimmed.remove(0, 3); // a byte order mark
        if (trimmed.isEmpty())
            continue;
        QString error;
        Json value = parseJson(trimmed, &error);
        if (value.is_discarded()) {
            if (error.startsWith(u"line 1, "_s))
                error.remove(0, 8);
            *refusal = {line, u"not valid JSON: "_s + error};
            return std::nullopt;
        }
        QString content;
        Json fields = value;
        if (value.is_object()) {
            for (const char *key : {"content", "text"}) {
                if (value.contains(key) && value[key].is_string()) {
                    content = toQString(value[key].get<std::string>());
                    fields.erase(key);
                    break;
                }
            }
            if (content.isEmpty()) {
                QStringList parts;
                for (auto it = value.begin(); it != value.end(); ++it)
                    parts.append(toQString(it.key()) + u": "_s + scalarText(it.value()));
                content = parts.join(u"; "_s);
            }
        } else {
            content = scalarText(value);
            fields = Json::object();
        }
        records.append(record(file, line, content, Json{{"fields", std::move(fields)}}));
    }
    return records;
}

// "## Title ##" -> 2 and "Title"; 0 when the line is not an ATX heading.
int headingLevel(const QString &line, QString *title)
{
    const QString t = line.trimmed();
    int level = 0;
    while (level < t.size() && t.at(level) == u'#')
        ++level;
    if (level == 0 || level > 6 || (level < t.size() && !t.at(level).isSpace()))
        return 0;
    QString rest = t.mid(level).trimmed();
    while (rest.endsWith(u'#'))
        rest.chop(1);
    *title = rest.trimmed();
    return level;
}

QList<MemoryRecord> readMarkdown(const QString &text, const QString &file)
{
    QList<MemoryRecord> records;
    const QStringList lines = text.split(u'\n');
    QStringList section;
    QString heading;
    int start = 1;
    bool inFence = false;
    const auto flush = [&] {
        const QString content = section.join(u'\n').trimmed();
        if (!content.isEmpty())
            records.append(record(file, start, content, Json{{"heading", toStd(heading)}}));
        section.clear();
    };
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QString line = lines.at(i).endsWith(u'\r') ? lines.at(i).chopped(1) : lines.at(i);
        const QString trimmed = line.trimmed();
        if (trimmed.startsWith(u"```"_s) || trimmed.startsWith(u"~~~"_s))
            inFence = !inFence;
        QString title;
        if (!inFence && headingLevel(line, &title) > 0) {
            flush();
            heading = title;
            start = int(i) + 1;
        }
        section.append(line);
    }
    flush();
    return records;
}

QList<MemoryRecord> readText(const QString &text, const QString &file)
{
    QList<MemoryRecord> records;
    const QStringList lines = text.split(u'\n');
    QStringList paragraph;
    int start = 0;
    const auto flush = [&] {
        if (!paragraph.isEmpty())
            records.append(record(file, start, paragraph.join(u'\n')));
        paragraph.clear();
    };
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QString line = lines.at(i).trimmed();
        if (line.isEmpty()) {
            flush();
            continue;
        }
        if (paragraph.isEmpty())
            start = int(i) + 1;
        paragraph.append(line);
    }
    flush();
    return records;
}

QString suffixOf(const QString &fileName)
{
    const qsizetype dot = fileName.lastIndexOf(u'.');
    return dot < 0 ? QString() : fileName.mid(dot + 1).toLower();
}

} // namespace

bool isDatasetFile(const QString &fileName)
{
    static const QStringList suffixes{u"csv"_s, u"jsonl"_s, u"ndjson"_s, u"md"_s, u"markdown"_s, u"txt"_s};
    return suffixes.contains(suffixOf(fileName));
}

std::optional<QList<MemoryRecord>> readDatasetFile(const QByteArray &bytes, const QString &relativeName,
                                                   const QString &path, LoadProblem *problem)
{
    Refusal refusal;
    std::optional<QList<MemoryRecord>> records;
    if (const auto text = decodeUtf8(bytes, &refusal)) {
        const QString suffix = suffixOf(relativeName);
        if (suffix == u"csv"_s)
            records = readCsv(*text, relativeName, &refusal);
        else if (suffix == u"jsonl"_s || suffix == u"ndjson"_s)
            records = readJsonLines(bytes, relativeName, &refusal);
        else if (suffix == u"md"_s || suffix == u"markdown"_s)
            records = readMarkdown(*text, relativeName);
        else if (suffix == u"txt"_s)
            records = readText(*text, relativeName);
        else
            refusal = {0, u"not a dataset file (CSV, JSON Lines, Markdown or plain text)"_s};
    }
    if (!records && problem)
        *problem = LoadProblem{path, refusal.line, refusal.reason};
    return records;
}

} // namespace invoke::datasets
