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
            bytes->swap(m_carry);
            m_carry.resize(0);
            break;
        }
        // Read into one buffer kept for the reader's life: QIODevice::read(n) would
        // allocate n bytes for every block. A small file (a file, a buffer: not
        // sequential, so what is left is known) sizes it to what it has, not a megabyte,
        // and at its end reads nothing (a file that tells no size, like /proc's, still reads).
        const qint64 left = m_in.isSequential() ? BlockBytes : m_in.bytesAvailable();
        const qint64 want = left > 0 ? qMin(left, BlockBytes) : (m_in.atEnd() ? 0 : BlockBytes);
        qint64 got = 0;
        if (want > 0) {
            if (m_block.size() < want)
                m_block.resize(want);
            got = m_in.read(m_block.data(), want);
        }
        if (got <= 0) {
            if (got < 0 || !m_in.atEnd()) {
                m_problem = {m_line, u"cannot read the file: "_s + m_in.errorString()};
                return false;
            }
            m_atEnd = true;
            continue;
        }
        QByteArrayView block(m_block.constData(), got);
        if (!m_started) {
            m_started = true;
            if (block.startsWith("\xEF\xBB\xBF")) {
                block = block.sliced(3);
                m_consumed += 3;
            }
        }
        const qsizetype lastBreak = block.lastIndexOf('\n');
        if (lastBreak < 0) {
            m_carry.append(block);
            if (m_carry.size() > m_maxLineBytes) {
                m_problem = {m_line, u"the line is longer than %1 MB (is this a text file?)"_s.arg(m_maxLineBytes >> 20)};
                return false;
            }
            continue;
        }
        // resize(0) keeps the caller's buffer (and the carry's) for the next block.
        bytes->resize(0);
        bytes->append(m_carry);
        bytes->append(block.first(lastBreak + 1));
        m_carry.resize(0);
        m_carry.append(block.sliced(lastBreak + 1));
        break;
    }
    *firstLine = m_line;
    m_consumed += bytes->size();
    if (!QByteArrayView(*bytes).isValidUtf8()) {
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
    if (!nextBytes(&m_bytes, firstLine))
        return false;
    decodeInto(m_bytes, text);
    return true;
}

void decodeInto(QByteArrayView utf8, QString *text)
{
    // UTF-16 takes at most one unit per UTF-8 byte; the text's buffer is kept when it
    // is its own (QString::fromUtf8 would allocate a new one for every block).
    text->resize(utf8.size());
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless | QStringDecoder::Flag::ConvertInitialBom);
    const QChar *end = decoder.appendToBuffer(text->data(), utf8);
    text->truncate(end - text->constData());
}

} // namespace invoke::datasets
