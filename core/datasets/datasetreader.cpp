#include "core/datasets/datasetreader.h"

#include "core/datasets/linereader.h"

#include <QtCore/QBuffer>
#include <QtCore/QHash>

using namespace Qt::StringLiterals;

namespace invoke::datasets {

namespace {

using RecordSink = std::function<bool(MemoryRecord &&)>;

MemoryRecord record(const QString &file, int line, QString content, std::optional<QString> searchText, Json metadata)
{
    metadata["file"] = toStd(file);
    metadata["line"] = line;
    if (searchText && *searchText == content)
        searchText.reset();
    return MemoryRecord{u"%1:%2"_s.arg(file).arg(line), std::move(content), std::move(searchText),
                        std::move(metadata)};
}

QString suffixOf(const QString &fileName)
{
    const qsizetype dot = fileName.lastIndexOf(u'.');
    return dot < 0 ? QString() : fileName.mid(dot + 1).toLower();
}

// What every format shares: where a problem goes, and whether reading goes on after it.
class FormatReader
{
public:
    FormatReader(const QString &file, const RecordSink &sink, const ReadOptions &options)
        : m_file(file), m_sink(sink), m_options(options)
    {
    }
    virtual ~FormatReader() = default;

    // False: stop (refused or stopped, see end()).
    virtual bool block(const QString &text, const QByteArray &bytes, int firstLine) = 0;
    virtual bool finish() = 0;

    ReadEnd end() const { return m_end; }
    const TextProblem &problem() const { return m_problem; }

    // A bad row: refuses the file, or is listed and skipped when the caller lists them all.
    bool bad(int line, const QString &reason)
    {
        if (m_options.badRow) {
            m_options.badRow({line, reason});
            return true;
        }
        return refuse(line, reason);
    }
    bool refuse(int line, const QString &reason)
    {
        m_problem = {line, reason};
        m_end = ReadEnd::Refused;
        return false;
    }

protected:
    bool deliver(int line, QString content, Json metadata = Json::object(), std::optional<QString> searchText = {})
    {
        if (std::max(content.size(), searchText ? searchText->size() : 0) > m_options.maxRecordChars)
            return bad(line, u"the record is longer than %1 characters"_s.arg(m_options.maxRecordChars));
        if (m_sink(record(m_file, line, std::move(content), std::move(searchText), std::move(metadata))))
            return true;
        m_end = ReadEnd::Stopped;
        return false;
    }

    const QString &m_file;
    const RecordSink &m_sink;
    const ReadOptions &m_options;
    ReadEnd m_end = ReadEnd::Finished;
    TextProblem m_problem;
};

class CsvReader final : public FormatReader
{
public:
    CsvReader(const QString &file, const RecordSink &sink, const ReadOptions &options)
        : FormatReader(file, sink, options),
          m_parser([this](CsvRow &&row) { return this->row(std::move(row)); }, options.maxRecordChars)
    {
    }

    bool block(const QString &text, const QByteArray &, int) override { return check(m_parser.feed(text)); }
    bool finish() override { return check(m_parser.finish()); }

private:
    bool check(bool ok)
    {
        if (ok || m_end != ReadEnd::Finished)
            return ok;
        if (m_parser.stopped()) // the row sink said stop without a reason: the caller's sink
            m_end = ReadEnd::Stopped;
        else
            refuse(m_parser.problem().line, m_parser.problem().reason);
        return false;
    }

    bool header(const CsvRow &row)
    {
        QHash<QString, qsizetype> seen;
        for (qsizetype c = 0; c < row.fields.size(); ++c) {
            const QString name = row.fields.at(c).trimmed();
            if (name.isEmpty())
                return refuse(row.line, u"column %1 of the header has no name"_s.arg(c + 1));
            if (seen.contains(name))
                return refuse(row.line, u"the header names column \"%1\" twice (columns %2 and %3)"_s.arg(name)
                                            .arg(seen.value(name) + 1)
                                            .arg(c + 1));
            seen.insert(name, c);
            m_header.append(name);
            m_shown.append(m_options.shownColumns.contains(name));
            m_searched.append(m_options.searchedColumns.contains(name));
        }
        if (m_options.csvColumns)
            m_options.csvColumns(m_header);
        return true;
    }

    bool row(CsvRow &&row)
    {
        if (m_header.isEmpty())
            return header(row);
        if (row.fields.size() != m_header.size())
            return bad(row.line, u"%1 fields where the header has %2"_s.arg(row.fields.size()).arg(m_header.size()));
        const bool allShown = m_options.shownColumns.isEmpty();
        const bool allSearched = m_options.searchedColumns.isEmpty();
        QStringList parts, shown, searched;
        Json columns = Json::object();
        for (qsizetype c = 0; c < m_header.size(); ++c) {
            const QString value = row.fields.at(c).trimmed();
            if (allShown || m_shown.at(c))
                columns[toStd(m_header.at(c))] = toStd(value);
            if (value.isEmpty())
                continue;
            QString part = m_header.at(c) + u": "_s + value;
            if (!allShown && m_shown.at(c))
                shown.append(part);
            if (!allSearched && m_searched.at(c))
                searched.append(part);
            parts.append(std::move(part));
        }
        const QString all = parts.join(u"; "_s);
        return deliver(row.line, allShown ? all : shown.join(u"; "_s), Json{{"columns", std::move(columns)}},
                       allSearched ? (allShown ? std::nullopt : std::optional(all))
                                   : std::optional(searched.join(u"; "_s)));
    }

    CsvStreamParser m_parser;
    QStringList m_header;
    QList<bool> m_shown;    // per column: named in ReadOptions::shownColumns
    QList<bool> m_searched; // per column: named in ReadOptions::searchedColumns
};

QString scalarText(const Json &value)
{
    return value.is_string() ? toQString(value.get<std::string>()) : QString::fromUtf8(dumpJson(value));
}

class JsonLinesReader final : public FormatReader
{
public:
    using FormatReader::FormatReader;

    bool block(const QString &, const QByteArray &bytes, int firstLine) override
    {
        int line = firstLine;
        qsizetype from = 0;
        while (from < bytes.size()) {
            qsizetype to = bytes.indexOf('\n', from);
            if (to < 0)
                to = bytes.size();
            if (!readLine(QByteArrayView(bytes).sliced(from, to - from).trimmed(), line))
                return false;
            from = to + 1;
            ++line;
        }
        return true;
    }
    bool finish() override { return true; }

private:
    bool readLine(QByteArrayView trimmed, int line)
    {
        if (trimmed.isEmpty())
            return true;
        if (trimmed.size() > m_options.maxRecordChars)
            return bad(line, u"the line is longer than %1 bytes"_s.arg(m_options.maxRecordChars));
        QString error;
        Json value = parseJson(trimmed.toByteArray(), &error);
        if (value.is_discarded()) {
            if (error.startsWith(u"line 1, "_s))
                error.remove(0, 8);
            return bad(line, u"not valid JSON: "_s + error);
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
            if (content.isEmpty())
                content = membersText(value, {});
            if (!m_options.searchedColumns.isEmpty() || !m_options.shownColumns.isEmpty()) {
                std::optional<QString> searchText =
                    m_options.searchedColumns.isEmpty() ? content : membersText(value, m_options.searchedColumns);
                if (!m_options.shownColumns.isEmpty()) {
                    content = membersText(value, m_options.shownColumns);
                    fields = Json::object();
                    for (auto it = value.begin(); it != value.end(); ++it)
                        if (m_options.shownColumns.contains(toQString(it.key())))
                            fields[it.key()] = it.value();
                }
                return deliver(line, content, Json{{"fields", std::move(fields)}}, std::move(searchText));
            }
        } else {
            content = scalarText(value);
            fields = Json::object();
        }
        return deliver(line, content, Json{{"fields", std::move(fields)}});
    }

    // "key: value; ..." of the object's members, or of only those in `only` when given.
    static QString membersText(const Json &object, const QStringList &only)
    {
        QStringList parts;
        for (auto it = object.begin(); it != object.end(); ++it) {
            const QString key = toQString(it.key());
            if (only.isEmpty() || only.contains(key))
                parts.append(key + u": "_s + scalarText(it.value()));
        }
        return parts.join(u"; "_s);
    }
};

// Lines of a block without their breaks (and a '\r' before one).
template<typename F>
bool forEachLine(const QString &text, int firstLine, F &&f)
{
    int line = firstLine;
    qsizetype from = 0;
    while (from < text.size()) {
        qsizetype to = text.indexOf(u'\n', from);
        const bool lastPart = to < 0;
        if (lastPart)
            to = text.size();
        QStringView view = QStringView(text).sliced(from, to - from);
        if (view.endsWith(u'\r'))
            view.chop(1);
        if (!f(view, line))
            return false;
        from = to + 1;
        ++line;
    }
    return true;
}

// "## Title ##" -> 2 and "Title"; 0 when the line is not an ATX heading.
int headingLevel(QStringView line, QString *title)
{
    const QStringView t = line.trimmed();
    int level = 0;
    while (level < t.size() && t.at(level) == u'#')
        ++level;
    if (level == 0 || level > 6 || (level < t.size() && !t.at(level).isSpace()))
        return 0;
    QStringView rest = t.mid(level).trimmed();
    while (rest.endsWith(u'#'))
        rest.chop(1);
    *title = rest.trimmed().toString();
    return level;
}

class MarkdownReader final : public FormatReader
{
public:
    using FormatReader::FormatReader;

    bool block(const QString &text, const QByteArray &, int firstLine) override
    {
        return forEachLine(text, firstLine, [this](QStringView line, int number) {
            const QStringView trimmed = line.trimmed();
            if (trimmed.startsWith(u"```"_s) || trimmed.startsWith(u"~~~"_s))
                m_inFence = !m_inFence;
            QString title;
            if (!m_inFence && headingLevel(line, &title) > 0) {
                if (!flush())
                    return false;
                m_heading = title;
                m_start = number;
            }
            if (m_section.size() > m_options.maxRecordChars)
                return bad(m_start, u"the section is longer than %1 characters"_s.arg(m_options.maxRecordChars));
            if (m_hasLines)
                m_section += u'\n';
            m_section += line;
            m_hasLines = true;
            return true;
        });
    }
    bool finish() override { return flush(); }

private:
    bool flush()
    {
        const QString content = m_section.trimmed();
        m_section.clear();
        m_hasLines = false;
        return content.isEmpty() || deliver(m_start, content, Json{{"heading", toStd(m_heading)}});
    }

    QString m_section;
    QString m_heading;
    int m_start = 1;
    bool m_inFence = false;
    bool m_hasLines = false;
};

class TextReader final : public FormatReader
{
public:
    using FormatReader::FormatReader;

    bool block(const QString &text, const QByteArray &, int firstLine) override
    {
        return forEachLine(text, firstLine, [this](QStringView raw, int number) {
            const QStringView line = raw.trimmed();
            if (line.isEmpty())
                return flush();
            if (m_paragraph.isEmpty())
                m_start = number;
            else
                m_paragraph += u'\n';
            if (m_paragraph.size() > m_options.maxRecordChars)
                return bad(m_start, u"the paragraph is longer than %1 characters"_s.arg(m_options.maxRecordChars));
            m_paragraph += line;
            return true;
        });
    }
    bool finish() override { return flush(); }

private:
    bool flush()
    {
        if (m_paragraph.isEmpty())
            return true;
        return deliver(m_start, std::exchange(m_paragraph, QString()));
    }

    QString m_paragraph;
    int m_start = 0;
};

std::unique_ptr<FormatReader> readerFor(const QString &file, const RecordSink &sink, const ReadOptions &options)
{
    const QString suffix = suffixOf(file);
    if (suffix == u"csv"_s)
        return std::make_unique<CsvReader>(file, sink, options);
    if (suffix == u"jsonl"_s || suffix == u"ndjson"_s)
        return std::make_unique<JsonLinesReader>(file, sink, options);
    if (suffix == u"md"_s || suffix == u"markdown"_s)
        return std::make_unique<MarkdownReader>(file, sink, options);
    if (suffix == u"txt"_s)
        return std::make_unique<TextReader>(file, sink, options);
    return nullptr;
}

} // namespace

bool isDatasetFile(const QString &fileName)
{
    static const QStringList suffixes{u"csv"_s, u"jsonl"_s, u"ndjson"_s, u"md"_s, u"markdown"_s, u"txt"_s};
    return suffixes.contains(suffixOf(fileName));
}

ReadEnd readDatasetStream(QIODevice &in, const QString &relativeName, const std::function<bool(MemoryRecord &&)> &sink,
                          const ReadOptions &options, TextProblem *problem)
{
    const auto reader = readerFor(relativeName, sink, options);
    if (!reader) {
        *problem = {0, u"not a dataset file (CSV, JSON Lines, Markdown or plain text)"_s};
        return ReadEnd::Refused;
    }
    Utf8LineReader lines(in, qMax<qint64>(options.maxRecordChars, Utf8LineReader::BlockBytes) * 4);
    if (options.badRow)
        lines.setLenient([&](int line) { options.badRow({line, u"the line is not UTF-8 text"_s}); });
    QByteArray bytes;
    QString text;
    int firstLine = 0;
    const bool jsonLines = dynamic_cast<JsonLinesReader *>(reader.get()) != nullptr;
    while (lines.nextBytes(&bytes, &firstLine)) {
        if (!jsonLines)
            decodeInto(bytes, &text);
        if (!reader->block(text, bytes, firstLine))
            break;
    }
    if (lines.failed()) {
        *problem = lines.problem();
        return ReadEnd::Refused;
    }
    if (reader->end() == ReadEnd::Finished)
        reader->finish();
    if (reader->end() == ReadEnd::Refused)
        *problem = reader->problem();
    return reader->end();
}

std::optional<QList<MemoryRecord>> readDatasetFile(const QByteArray &bytes, const QString &relativeName,
                                                   const QString &path, LoadProblem *problem)
{
    QByteArray copy = bytes;
    QBuffer buffer(&copy);
    buffer.open(QIODevice::ReadOnly);
    QList<MemoryRecord> records;
    TextProblem refusal;
    const ReadEnd end = readDatasetStream(
        buffer, relativeName,
        [&records](MemoryRecord &&r) {
            records.append(std::move(r));
            return true;
        },
        {}, &refusal);
    if (end == ReadEnd::Finished)
        return records;
    if (problem)
        *problem = LoadProblem{path, refusal.line, refusal.reason};
    return std::nullopt;
}

} // namespace invoke::datasets
