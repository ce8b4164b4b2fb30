#include "core/agenttests/batchinput.h"

#include "core/model/dataset/csvtext.h"

#include <QtCore/QFile>
#include <QtCore/QSet>

using namespace Qt::StringLiterals;

namespace invoke::agenttests {

namespace {

constexpr int kMaxProblems = 50; // enough to fix a file by; a million bad rows say so once

class Problems
{
public:
    Problems(QString display, QStringList &out) : m_display(std::move(display)), m_out(out) {}
    void add(int line, const QString &what)
    {
        ++m_count;
        if (m_count <= kMaxProblems)
            m_out << u"%1:%2: %3"_s.arg(m_display).arg(line).arg(what);
        else if (m_count == kMaxProblems + 1)
            m_out << u"%1: more problems follow; fix these first"_s.arg(m_display);
    }
    bool any() const { return m_count > 0; }

private:
    QString m_display;
    QStringList &m_out;
    int m_count = 0;
};

// A CSV cell as a parameter value: JSON when it parses (42, true, [1, 2], "quoted"),
// text otherwise, as `invoke-cli invoke -p key=value` reads it.
Json cellValue(const QString &cell)
{
    const QString trimmed = cell.trimmed();
    if (!trimmed.isEmpty()) {
        const Json value = parseJson(trimmed.toUtf8());
        if (!value.is_discarded())
            return value;
    }
    return Json(toStd(cell));
}

} // namespace

BatchInput parseBatchJsonLines(const QByteArray &bytes, const QString &displayPath)
{
    BatchInput out;
    Problems problems(displayPath, out.problems);
    QList<BatchRow> rows;
    int line = 0;
    qsizetype start = 0;
    while (start < bytes.size()) {
        qsizetype end = bytes.indexOf('\n', start);
        if (end < 0)
            end = bytes.size();
        ++line;
        const QByteArrayView text = QByteArrayView(bytes).sliced(start, end - start).trimmed();
        start = end + 1;
        if (text.isEmpty())
            continue;
        QString why;
        const Json value = parseJson(text, &why);
        if (value.is_discarded()) {
            // One line is parsed at a time: its place is the column.
            problems.add(line, u"not JSON: "_s + (why.startsWith(u"line 1, "_s) ? why.mid(8) : why));
            continue;
        }
        if (!value.is_object()) {
            problems.add(line, u"a row is an object such as {\"message\": \"…\", \"parameters\": {…}}"_s);
            continue;
        }
        BatchRow row;
        row.line = line;
        bool ok = true;
        for (auto it = value.begin(); it != value.end(); ++it) {
            if (it.key() != "message" && it.key() != "messages" && it.key() != "parameters") {
                problems.add(line, u"unknown key \"%1\" (a row has \"message\" or \"messages\", and \"parameters\")"_s
                                       .arg(toQString(it.key())));
                ok = false;
            }
        }
        if (value.contains("message") == value.contains("messages")) {
            problems.add(line, u"give either \"message\" (a string) or \"messages\" (a conversation)"_s);
            ok = false;
        } else if (value.contains("message")) {
            if (value["message"].is_string())
                row.messages = {Message::user(toQString(value["message"].get<std::string>()))};
            else {
                problems.add(line, u"\"message\" must be a string"_s);
                ok = false;
            }
        } else if (auto messages = messagesFromJson(value["messages"], &why); messages && !messages->isEmpty()) {
            row.messages = *messages;
        } else if (messages) {
            problems.add(line, u"\"messages\" is empty: a row needs at least one message"_s);
            ok = false;
        } else {
            problems.add(line, u"messages: "_s + why);
            ok = false;
        }
        if (value.contains("parameters")) {
            if (value["parameters"].is_object())
                row.parameters = value["parameters"];
            else {
                problems.add(line, u"\"parameters\" must be an object"_s);
                ok = false;
            }
        }
        if (ok) {
            row.row = int(rows.size()) + 1;
            rows.append(std::move(row));
        } else {
            rows.append(BatchRow{}); // keeps the row numbers of the rows after it
        }
    }
    if (rows.isEmpty() && !problems.any())
        problems.add(1, u"no rows"_s);
    if (!problems.any())
        out.rows = std::move(rows);
    return out;
}

BatchInput parseBatchCsv(const QByteArray &bytes, const QString &displayPath)
{
    BatchInput out;
    Problems problems(displayPath, out.problems);
    TextProblem textProblem;
    const auto text = decodeUtf8Text(bytes, &textProblem);
    const auto table = text ? parseCsv(*text, &textProblem) : std::nullopt;
    if (!table) {
        problems.add(textProblem.line, textProblem.reason);
        return out;
    }
    if (table->isEmpty()) {
        problems.add(1, u"no header: the first row names the columns (\"message\" or \"messages\", then parameters)"_s);
        return out;
    }
    const CsvRow &header = table->first();
    QStringList names;
    QSet<QString> seen;
    for (qsizetype c = 0; c < header.fields.size(); ++c) {
        const QString name = header.fields.at(c).trimmed();
        if (name.isEmpty())
            problems.add(header.line, u"column %1 has no name"_s.arg(c + 1));
        else if (seen.contains(name))
            problems.add(header.line, u"two columns are named \"%1\""_s.arg(name));
        seen.insert(name);
        names.append(name);
    }
    const qsizetype messageColumn = names.indexOf(u"message"_s);
    const qsizetype messagesColumn = names.indexOf(u"messages"_s);
    if ((messageColumn < 0) == (messagesColumn < 0))
        problems.add(header.line, u"the header needs one column \"message\" (the text) or \"messages\" (a JSON conversation)"_s);
    if (problems.any())
        return out;
    QList<BatchRow> rows;
    for (qsizetype r = 1; r < table->size(); ++r) {
        const CsvRow &csv = table->at(r);
        BatchRow row;
        row.row = int(r);
        row.line = csv.line;
        if (csv.fields.size() != names.size()) {
            problems.add(csv.line, u"%1 fields where the header has %2"_s.arg(csv.fields.size()).arg(names.size()));
            continue;
        }
        for (qsizetype c = 0; c < names.size(); ++c) {
            const QString &cell = csv.fields.at(c);
            if (c == messageColumn) {
                row.messages = {Message::user(cell)};
            } else if (c == messagesColumn) {
                QString why;
                const Json value = parseJson(cell.toUtf8(), &why);
                auto messages = value.is_discarded() ? std::nullopt : messagesFromJson(value, &why);
                if (!messages)
                    problems.add(csv.line, u"messages: not a JSON conversation: "_s + why);
                else if (messages->isEmpty())
                    problems.add(csv.line, u"messages is empty: a row needs at least one message"_s);
                else
                    row.messages = *messages;
            } else if (!cell.isEmpty()) {
                row.parameters[toStd(names.at(c))] = cellValue(cell);
            }
        }
        rows.append(std::move(row));
    }
    if (rows.isEmpty() && !problems.any())
        problems.add(header.line, u"no rows after the header"_s);
    if (!problems.any())
        out.rows = std::move(rows);
    return out;
}

BatchInput readBatchInput(const QString &filePath)
{
    QFile file(filePath);
    if (!file.open(QIODevice::ReadOnly))
        return {std::nullopt, {u"%1: cannot read: %2"_s.arg(filePath, file.errorString())}};
    if (file.size() > kMaxBatchInputBytes)
        return {std::nullopt, {u"%1: %2 bytes, more than a batch input may hold (%3)"_s.arg(filePath).arg(file.size()).arg(kMaxBatchInputBytes)}};
    const QByteArray bytes = file.readAll();
    if (filePath.endsWith(u".csv"_s, Qt::CaseInsensitive))
        return parseBatchCsv(bytes, filePath);
    return parseBatchJsonLines(bytes, filePath);
}

} // namespace invoke::agenttests
