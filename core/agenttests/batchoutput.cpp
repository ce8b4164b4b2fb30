#include "core/agenttests/batchoutput.h"

#include "core/model/mocksetio.h"

#include <QtCore/QFileInfo>

using namespace Qt::StringLiterals;

namespace invoke::agenttests {

bool BatchOutput::open(const QString &filePath, QString *error)
{
    m_path = filePath;
    QFile previous(filePath);
    bool endsMidLine = false;
    if (previous.exists()) {
        if (!previous.open(QIODevice::ReadOnly)) {
            *error = u"%1: cannot read the earlier output: %2"_s.arg(filePath, previous.errorString());
            return false;
        }
        while (!previous.atEnd()) {
            const QByteArray raw = previous.readLine();
            endsMidLine = !raw.endsWith('\n');
            const QByteArray text = raw.trimmed();
            if (text.isEmpty())
                continue;
            const Json line = parseJson(text, nullptr, kJsonMaxWireDepth);
            if (!line.is_object() || !line.contains("row") || !line["row"].is_number_integer()) {
                ++m_unreadable;
                continue;
            }
            const int row = line["row"].get<int>();
            m_lines.insert(row, text);
            if (boolField(line, "success"))
                m_succeeded.insert(row);
            else
                m_succeeded.remove(row);
        }
    }
    m_append.setFileName(filePath);
    if (!m_append.open(QIODevice::Append)) {
        *error = u"%1: cannot write: %2"_s.arg(filePath, m_append.errorString());
        return false;
    }
    // A line cut short by a kill ends here, so the next line starts on its own.
    if (endsMidLine)
        m_append.write("\n");
    return true;
}

bool BatchOutput::add(int row, const Json &line, QString *error)
{
    const QByteArray text = dumpJson(line);
    m_lines.insert(row, text);
    if (boolField(line, "success"))
        m_succeeded.insert(row);
    else
        m_succeeded.remove(row);
    if (m_append.write(text + '\n') < 0 || !m_append.flush()) {
        *error = u"%1: cannot write: %2"_s.arg(m_path, m_append.errorString());
        return false;
    }
    return true;
}

bool BatchOutput::finish(QString *error)
{
    m_append.close();
    QByteArray all;
    for (const QByteArray &line : std::as_const(m_lines))
        all += line + '\n';
    return writeFileAtomically(m_path, all, error);
}

} // namespace invoke::agenttests
