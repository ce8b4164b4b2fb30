#include "app/server/requestlog.h"

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

static void emitLine(const QString &text)
{
    const QByteArray bytes = (QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs) + u' ' + text + u'\n').toUtf8();
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
