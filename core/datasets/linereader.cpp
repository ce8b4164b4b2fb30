#include "core/datasets/linereader.h"

#include <QtCore/QStringDecoder>

using namespace Qt::StringLiterals;

namespace invoke::datasets {

Utf8LineReader::Utf8LineReader(QIODevice &in, qint64 maxLineBytes) : m_in(in), m_maxLineBytes(maxLineBytes) {}

bool Utf8LineReader::nextBytes(QByteArray *bytes, int *firstLine)
{
    if (failed())
        return false;
    for (;;) {
        if (m_atEnd) {
            if (m_carry.isEmpty())
                return false;
            *bytes = std::exchange(m_carry, QByteArray());
            break;
        }
        // QIODevice::read(n) allocates n bytes first: a small file (a file, a buffer: not
        // sequential, so what is left is known) reads what it has, not a megabyte, and
        // at its end reads nothing (a file that tells no size, like /proc's, still reads).
        const qint64 left = m_in.isSequential() ? BlockBytes : m_in.bytesAvailable();
        QByteArray block;
        if (left > 0)
            block = m_in.read(qMin(left, BlockBytes));
        else if (!m_in.atEnd())
            block = m_in.read(BlockBytes);
        if (block.isEmpty()) {
            if (!m_in.atEnd()) {
                m_problem = {m_line, u"cannot read the file: "_s + m_in.errorString()};
                return false;
            }
            m_atEnd = true;
            continue;
        }
        if (!m_started) {
            m_started = true;
            if (block.startsWith("\xEF\xBB\xBF")) {
                block.remove(0, 3);
                m_consumed += 3;
            }
        }
        const qsizetype lastBreak = block.lastIndexOf('\n');
        if (lastBreak < 0) {
            m_carry += block;
            if (m_carry.size() > m_maxLineBytes) {
                m_problem = {m_line, u"the line is longer than %1 MB (is this a text file?)"_s.arg(m_maxLineBytes >> 20)};
                return false;
            }
            continue;
        }
        *bytes = m_carry + QByteArrayView(block).first(lastBreak + 1);
        m_carry = block.sliced(lastBreak + 1);
        break;
    }
    *firstLine = m_line;
    m_consumed += bytes->size();
    QStringDecoder check(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString decoded = check.decode(*bytes);
    Q_UNUSED(decoded);
    if (check.hasError()) {
        TextProblem where;
        decodeUtf8Text(*bytes, &where);
        const int bad = m_line + where.line - 1;
        if (!m_badLines) {
            m_problem = {bad, u"the file is not UTF-8 text"_s};
            return false;
        }
        int line = m_line;
        for (const QByteArray &part : bytes->split('\n')) {
            QStringDecoder lineCheck(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
            const QString text = lineCheck.decode(part + '\n');
            Q_UNUSED(text);
            if (lineCheck.hasError())
                m_badLines(line);
            ++line;
        }
    }
    m_line += int(bytes->count('\n'));
    return true;
}

bool Utf8LineReader::next(QString *text, int *firstLine)
{
    QByteArray bytes;
    if (!nextBytes(&bytes, firstLine))
        return false;
    *text = QString::fromUtf8(bytes);
    return true;
}

} // namespace invoke::datasets
