#include "app/server/http/localaccess.h"

using namespace Qt::StringLiterals;

namespace invoke::server {

namespace {

bool isLocalAuthority(QByteArrayView authority, quint16 port)
{
    const QByteArray suffix = ':' + QByteArray::number(port);
    for (const char *host : {"127.0.0.1", "localhost", "[::1]"}) {
        const QByteArray allowed = QByteArray(host) + suffix;
        if (authority.compare(allowed, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

} // namespace

std::optional<Refusal> localOnlyRefusal(const HttpHead &head, quint16 port)
{
    const QString allowed = u"127.0.0.1:%1, localhost:%1 or [::1]:%1"_s.arg(port);
    const QByteArray host = head.header("host");
    if (!isLocalAuthority(host, port))
        return Refusal{403, u"Host \"%1\" is not this server: without tokens (--insecure-no-auth) it answers %2 only"_s
                                .arg(QString::fromLatin1(host.left(100)), allowed), {}};
    if (head.hasHeader("origin")) {
        const QByteArray origin = head.header("origin");
        if (!origin.startsWith("http://") || !isLocalAuthority(QByteArrayView(origin).sliced(7), port))
            return Refusal{403, u"Origin \"%1\" may not use this server: without tokens (--insecure-no-auth) it answers "
                                "pages of http://%2 only"_s.arg(QString::fromLatin1(origin.left(100)), allowed), {}};
    }
    if (head.method == "POST") {
        const QByteArray type = head.header("content-type");
        const QByteArray mediaType = type.left(type.indexOf(';') < 0 ? type.size() : type.indexOf(';')).trimmed();
        if (mediaType.compare("application/json", Qt::CaseInsensitive) != 0)
            return Refusal{415, u"Content-Type \"%1\": the body must be application/json"_s
                                    .arg(QString::fromLatin1(type.left(100))), {}};
    }
    return std::nullopt;
}

} // namespace invoke::server
