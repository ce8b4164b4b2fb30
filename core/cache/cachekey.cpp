// The replay key (docs/cache.md): SHA-256 of the canonical JSON of its parts. Kept apart
// from the SQLite side of the cache: this runs on every replay lookup and is all a
// caller needs to say why two calls share, or do not share, an answer.
#include "core/cache/cacheentry.h"

#include <QtCore/QCryptographicHash>

namespace invoke::cache {

namespace {

// Appends `s` as a JSON string exactly as nlohmann's dump() writes it (UTF-8 as is; quote,
// backslash and control characters escaped), without building a temporary Json.
void appendJsonString(QByteArray &out, const QString &s)
{
    static constexpr char hex[] = "0123456789abcdef";
    const QByteArray utf8 = s.toUtf8();
    out += '"';
    for (const char ch : utf8) {
        const auto c = static_cast<unsigned char>(ch);
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (c < 0x20) {
                out += "\\u00";
                out += hex[c >> 4];
                out += hex[c & 0xf];
            } else {
                out += ch;
            }
        }
    }
    out += '"';
}

} // namespace

QByteArray CacheKeyParts::canonical(const QString &scope, const QString &botKey, const QString &botUpdatedAt,
                                    const QString &actionType, const Json &parameters)
{
    // The members in sorted order: the same text as Json{...}.dump(), without copying the
    // parameters into a temporary object (this runs on every replay lookup).
    const QByteArray params = dumpJson(parameters);
    QByteArray out;
    out.reserve(params.size() + 160);
    out += "{\"action_type\":";
    appendJsonString(out, actionType);
    out += ",\"bot_key\":";
    appendJsonString(out, botKey);
    out += ",\"bot_updated_at\":";
    appendJsonString(out, botUpdatedAt);
    out += ",\"parameters\":";
    out += params;
    out += ",\"scope\":";
    appendJsonString(out, scope);
    out += '}';
    return out;
}

QString CacheKeyParts::key(const QString &scope, const QString &botKey, const QString &botUpdatedAt,
                           const QString &actionType, const Json &parameters)
{
    const QByteArray text = canonical(scope, botKey, botUpdatedAt, actionType, parameters);
    return QString::fromLatin1(QCryptographicHash::hash(text, QCryptographicHash::Sha256).toHex());
}

QByteArray CacheKeyParts::canonical() const
{
    return canonical(scope, botKey, botUpdatedAt, actionType, parameters);
}

QString CacheKeyParts::key() const
{
    return key(scope, botKey, botUpdatedAt, actionType, parameters);
}

} // namespace invoke::cache
