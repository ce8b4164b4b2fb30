#include "app/server/http/requestlog.h"

#include <QtCore/QDateTime>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace invoke::server {

// "-" before authentication; quoted when it holds spaces, so the line still splits on them.
static QString organisationText(const QString &organisation)
{
    if (organisation.isEmpty())
        return u"-"_s;
    if (!organisation.contains(u' ') && !organisation.contains(u'"'))
        return organisation;
    return u'"' + QString(organisation).replace(u'"', u"\\\""_s) + u'"';
}

// Control characters (C0, DEL, C1) as \xNN: a path or message from a client must not
// reach a terminal as an escape sequence, nor start a log line of its own.
static QString escapedControls(const QString &text)
{
    QString out;
    out.reserve(text.size());
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        if (u < 0x20 || u == 0x7f || (u >= 0x80 && u <= 0x9f))
            out += u"\\x%1"_s.arg(uint(u), 2, 16, QChar(u'0'));
        else
            out += c;
    }
    return out;
}

static void emitLine(const QString &text)
{
    const QByteArray bytes = (QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs) + u' '
                              + escapedControls(text) + u'\n').toUtf8();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stderr);
    std::fflush(stderr);
}

void writeLogLine(const RequestLogLine &line)
{
    QString text = QString::fromLatin1(line.method) + u' ' + QString::fromUtf8(line.path) + u' '
        + QString::number(line.status) + u" org="_s
        + organisationText(line.organisation) + u' '
        + QString::number(line.durationMs) + u"ms"_s;
    if (!line.note.isEmpty())
        text += u' ' + line.note;
    emitLine(text);
}

void writeLogNote(const QString &text)
{
    emitLine(text);
}

} // namespace invoke::server
