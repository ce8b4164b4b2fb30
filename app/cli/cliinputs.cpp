// The values and files named on the command line: -p, -m, --messages, --mocks.
#include "app/cli/cliarguments.h"

#include <QtCore/QFile>

using namespace Qt::StringLiterals;

namespace invoke::cli {

bool addParameter(const QString &argument, Json &parameters, QString *error)
{
    const QString trimmed = argument.trimmed();
    if (trimmed.startsWith(u'{')) {
        QString why;
        const Json object = parseJson(trimmed.toUtf8(), &why);
        if (object.is_discarded() || !object.is_object()) {
            if (error)
                *error = u"-p %1: not a JSON object (%2)"_s.arg(argument, why.isEmpty() ? u"it parses, but as something else"_s : why);
            return false;
        }
        for (auto it = object.begin(); it != object.end(); ++it)
            parameters[it.key()] = it.value();
        return true;
    }
    const qsizetype eq = argument.indexOf(u'=');
    const QString key = eq > 0 ? argument.first(eq).trimmed() : QString();
    if (key.isEmpty()) {
        if (error)
            *error = u"-p %1: expected key=value or a JSON object such as '{\"topic\": \"tea\"}'"_s.arg(argument);
        return false;
    }
    const QString text = argument.mid(eq + 1);
    // A value is JSON when it parses as JSON (42, true, [1, 2], "quoted"), text otherwise.
    const Json value = parseJson(text.toUtf8());
    parameters[toStd(key)] = value.is_discarded() ? Json(toStd(text)) : value;
    return true;
}

Message messageFromArgument(const QString &argument)
{
    for (const QString &role : {u"assistant"_s, u"system"_s, u"user"_s}) {
        const QString prefix = role + u':';
        if (argument.startsWith(prefix)) {
            QString content = argument.mid(prefix.size());
            if (content.startsWith(u' '))
                content.remove(0, 1);
            return Message{role, content};
        }
    }
    return Message::user(argument);
}

// The 1-based line on which each element of a top-level JSON array starts.
static QList<int> arrayElementLines(QByteArrayView bytes)
{
    QList<int> lines;
    int line = 1;
    int depth = 0;
    bool inString = false;
    bool expectElement = false;
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        const char c = bytes[i];
        if (c == '\n')
            ++line;
        if (inString) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                inString = false;
            continue;
        }
        if (depth == 1 && expectElement && !QChar::isSpace(uchar(c)) && c != ']') {
            lines.append(line);
            expectElement = false;
        }
        if (c == '"')
            inString = true;
        else if (c == '[' || c == '{')
            expectElement = (++depth == 1);
        else if (c == ']' || c == '}')
            --depth;
        else if (c == ',' && depth == 1)
            expectElement = true;
    }
    return lines;
}

std::optional<QList<Message>> readMessagesFile(const QString &filePath, QString *error)
{
    QFile file(filePath);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = u"--messages %1: cannot open: %2"_s.arg(filePath, file.errorString());
        return std::nullopt;
    }
    const QByteArray bytes = file.readAll();
    QString why;
    const Json value = parseJson(bytes, &why);
    if (value.is_discarded()) {
        if (error)
            *error = u"%1: %2"_s.arg(filePath, why);
        return std::nullopt;
    }
    if (!value.is_array()) {
        if (error)
            *error = u"%1:1: expected a JSON array of {\"role\", \"content\"} messages"_s.arg(filePath);
        return std::nullopt;
    }
    QList<Message> messages;
    const QList<int> lines = arrayElementLines(bytes);
    for (size_t i = 0; i < value.size(); ++i) {
        auto message = Message::fromJson(value[i], &why);
        if (!message) {
            if (error)
                *error = u"%1:%2: message %3: %4"_s.arg(filePath).arg(lines.value(qsizetype(i), 1)).arg(i + 1).arg(why);
            return std::nullopt;
        }
        messages.append(*message);
    }
    return messages;
}

std::optional<MockSet> readMocksFile(const QString &filePath, QString *error)
{
    QFile file(filePath);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = u"--mocks %1: cannot open: %2"_s.arg(filePath, file.errorString());
        return std::nullopt;
    }
    QList<MockProblem> problems;
    auto mocks = MockSet::parse(file.readAll(), &problems);
    if (!mocks && error) {
        QStringList lines;
        for (const MockProblem &p : problems) {
            QString where = filePath;
            if (p.line > 0)
                where += u':' + QString::number(p.line);
            lines.append(where + u": "_s + (p.key.isEmpty() ? QString() : u"key \"%1\": "_s.arg(p.key)) + p.message);
        }
        *error = lines.join(u'\n');
    }
    return mocks;
}

} // namespace invoke::cli
