#include "core/datasets/datasetreader.h"

#include "core/model/csvtext.h"


using namespace Qt::StringLiterals;

namespace invoke::datasets {

namespace {

using Refusal = TextProblem;

MemoryRecord record(const QString &file, int line, QString content, Json metadata = Json::object())
{
    metadata["file"] = toStd(file);
    metadata["line"] = line;
    return MemoryRecord{u"%1:%2"_s.arg(file).arg(line), std::move(content), std::move(metadata)};
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
    if (const auto text = decodeUtf8Text(bytes, &refusal)) {
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
