#pragma once
// A program's stdout or stderr as the sandbox keeps it: capped, start and end.
#include <QtCore/QByteArray>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <algorithm>

namespace invoke::engine::sandbox {

// Keeps the start and the end of a stream (a traceback is at the end), and counts what
// was dropped in between.
class CappedStream
{
public:
    explicit CappedStream(qint64 cap)
        : m_headCap(cap - cap / 4), m_tailCap(cap / 4)
    {
    }

    void append(const QByteArray &bytes)
    {
        m_total += bytes.size();
        qsizetype used = 0;
        if (m_head.size() < m_headCap) {
            used = std::min<qsizetype>(bytes.size(), m_headCap - m_head.size());
            m_head += bytes.left(used);
        }
        if (used < bytes.size()) {
            m_tail += bytes.mid(used);
            if (m_tail.size() > m_tailCap)
                m_tail.remove(0, m_tail.size() - m_tailCap);
        }
    }

    bool cut() const { return m_total > m_head.size() + m_tail.size(); }

    QString text() const
    {
        if (!cut())
            return QString::fromUtf8(m_head + m_tail);
        const qint64 dropped = m_total - m_head.size() - m_tail.size();
        return QString::fromUtf8(m_head)
            + QStringLiteral("\n[… %1 bytes cut here: each stream keeps its first %2 and last %3 bytes …]\n")
                  .arg(dropped).arg(m_headCap).arg(m_tailCap)
            + QString::fromUtf8(m_tail);
    }

    // The last few lines, for an error message.
    QString tail(int maxLines = 12, qsizetype maxChars = 2000) const
    {
        const QByteArray &last = m_tail.isEmpty() ? m_head : m_tail;
        QString text = QString::fromUtf8(last.right(maxChars)).trimmed();
        QStringList lines = text.split(u'\n');
        if (lines.size() > maxLines)
            lines = lines.mid(lines.size() - maxLines);
        return lines.join(u'\n');
    }

private:
    qsizetype m_headCap;
    qsizetype m_tailCap;
    QByteArray m_head;
    QByteArray m_tail;
    qint64 m_total = 0;
};

} // namespace invoke::engine::sandbox
