#pragma once
// One line per request on stderr: time, method, path, status, organisation, duration,
// and a note. Never a token, a header or a body.
#include <QtCore/QElapsedTimer>
#include <QtCore/QString>

namespace invoke::server {

struct RequestLogLine
{
    QByteArray method;
    QByteArray path;    // without the query
    int status = 0;
    QString organisation; // empty before authentication
    qint64 durationMs = 0;
    QString note;
};

void writeLogLine(const RequestLogLine &line);
// A free-form line for what is not a request (start, tokens reloaded, shutdown).
void writeLogNote(const QString &text);

} // namespace invoke::server
