#include "core/datasets/datasettable.h"

#include "core/datasets/datasetreader.h"
#include "core/datasets/linereader.h"

#include <QtCore/QFile>
#include <QtCore/QFileInfo>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace invoke::datasets {

namespace {

QString suffixOf(const QString &file)
{
    return QFileInfo(file).suffix().toLower();
}

bool readCsvHead(QFile &in, const QString &file, qsizetype limit, DatasetTable *table, LoadProblem *problem)
{
    Utf8LineReader lines(in);
    bool headerRead = false;
    TextProblem refusal;
    CsvStreamParser parser([&](CsvRow &&row) {
        if (!headerRead) {
            headerRead = true;
            table->columns = row.fields;
            return true;
        }
        if (row.fields.size() != table->columns.size()) {
            refusal = {row.line, u"%1 fields where the header has %2"_s.arg(row.fields.size()).arg(table->columns.size())};
            return false;
        }
        table->rows.append(invoke::toJson(row.fields));
        return table->rows.size() < limit;
    });
    QString text;
    int firstLine = 0;
    bool more = true;
    while (more && lines.next(&text, &firstLine))
        more = parser.feed(text);
    if (lines.failed())
        refusal = lines.problem();
    else if (more && !parser.finish() && !parser.stopped())
        refusal = parser.problem();
    if (refusal.reason.isEmpty() && !parser.stopped() && !more)
        refusal = parser.problem();
    if (!refusal.reason.isEmpty()) {
        *problem = {file, refusal.line, refusal.reason};
        return false;
    }
    return true;
}

bool readJsonLinesHead(QFile &in, const QString &file, qsizetype limit, DatasetTable *table, LoadProblem *problem)
{
    Utf8LineReader lines(in);
    QByteArray bytes;
    int firstLine = 0;
    QList<Json> values;
    while (values.size() < limit && lines.nextBytes(&bytes, &firstLine)) {
        int line = firstLine;
        for (const QByteArray &raw : bytes.split('\n')) {
            const QByteArray trimmed = raw.trimmed();
            if (!trimmed.isEmpty() && values.size() < limit) {
                QString error;
                Json value = parseJson(trimmed, &error);
                if (value.is_discarded()) {
                    *problem = {file, line, u"not valid JSON: "_s + error.remove(u"line 1, "_s)};
                    return false;
                }
                values.append(std::move(value));
            }
            ++line;
        }
    }
    if (lines.failed()) {
        *problem = {file, lines.problem().line, lines.problem().reason};
        return false;
    }
    for (const Json &v : values) {
        if (!v.is_object()) {
            if (!table->columns.contains(u"value"_s))
                table->columns.append(u"value"_s);
            continue;
        }
        for (auto it = v.begin(); it != v.end(); ++it)
            if (!table->columns.contains(toQString(it.key())))
                table->columns.append(toQString(it.key()));
    }
    for (const Json &v : values) {
        Json row = Json::array();
        for (const QString &c : std::as_const(table->columns)) {
            const std::string key = toStd(c);
            row.push_back(v.is_object() ? v.value(key, Json()) : (c == u"value"_s ? v : Json()));
        }
        table->rows.append(std::move(row));
    }
    return true;
}

} // namespace

std::optional<DatasetTable> readTableHead(const DatasetSource &source, qsizetype limit, LoadProblem *problem)
{
    DatasetTable table;
    const bool single = source.files.size() == 1 && source.files.first() == source.path;
    const QString suffix = suffixOf(source.path);
    if (single && (suffix == u"csv"_s || suffix == u"jsonl"_s || suffix == u"ndjson"_s)) {
        QFile in(source.path);
        if (!in.open(QIODevice::ReadOnly)) {
            *problem = {source.path, 0, u"cannot read the file: "_s + in.errorString()};
            return std::nullopt;
        }
        const bool ok = limit <= 0 ? true
            : suffix == u"csv"_s   ? readCsvHead(in, source.path, limit, &table, problem)
                                   : readJsonLinesHead(in, source.path, limit, &table, problem);
        if (!ok)
            return std::nullopt;
        return table;
    }
    table.columns = {u"id"_s, u"content"_s};
    for (const QString &file : source.files) {
        if (table.rows.size() >= limit)
            break;
        QFile in(file);
        if (!in.open(QIODevice::ReadOnly)) {
            *problem = {file, 0, u"cannot read the file: "_s + in.errorString()};
            return std::nullopt;
        }
        TextProblem refusal;
        const ReadEnd end = readDatasetStream(
            in, source.relativeName(file),
            [&](MemoryRecord &&r) {
                table.rows.append(Json::array({toStd(r.id), toStd(r.content)}));
                return table.rows.size() < limit;
            },
            {}, &refusal);
        if (end == ReadEnd::Refused) {
            *problem = {file, refusal.line, refusal.reason};
            return std::nullopt;
        }
    }
    return table;
}

ImportCheck checkImportFile(const QString &file)
{
    ImportCheck check;
    const QString suffix = suffixOf(file);
    QFile in(file);
    if (suffix != u"csv"_s && suffix != u"jsonl"_s && suffix != u"ndjson"_s) {
        check.badRows.append({file, 0, u"only CSV (.csv) and JSON Lines (.jsonl, .ndjson) files can be imported"_s});
        return check;
    }
    if (!in.open(QIODevice::ReadOnly)) {
        check.badRows.append({file, 0, u"cannot read the file: "_s + in.errorString()});
        return check;
    }
    ReadOptions options;
    options.badRow = [&](const TextProblem &p) { check.badRows.append({file, p.line, p.reason}); };
    options.csvColumns = [&](const QStringList &columns) { check.columns = columns; };
    TextProblem refusal;
    const ReadEnd end = readDatasetStream(
        in, QFileInfo(file).fileName(),
        [&](MemoryRecord &&) {
            ++check.rows;
            return true;
        },
        options, &refusal);
    if (end == ReadEnd::Refused)
        check.badRows.append({file, refusal.line, refusal.reason});
    std::stable_sort(check.badRows.begin(), check.badRows.end(),
                     [](const LoadProblem &a, const LoadProblem &b) { return a.line < b.line; });
    if (check.badRows.isEmpty())
        check.format = suffix == u"csv"_s ? u"csv"_s : u"jsonl"_s;
    return check;
}

} // namespace invoke::datasets
