#pragma once
// The one JSON type of the core, and the few conversions between it and Qt strings.
#include <nlohmann/json.hpp>

#include <QtCore/QByteArray>
#include <QtCore/QString>
#include <QtCore/QStringList>

namespace invoke {

// nlohmann::json keeps object keys sorted, so dump() is already the canonical form
// (sorted keys, no insignificant whitespace) the replay cache hashes.
using Json = nlohmann::json;

inline QString toQString(const std::string &s) { return QString::fromUtf8(s.data(), qsizetype(s.size())); }
inline std::string toStd(const QString &s) { return s.toStdString(); }
inline std::string toStd(QLatin1StringView s) { return std::string(s.data(), size_t(s.size())); }

// A string member of an object, or `fallback` when missing or not a string.
QString stringField(const Json &object, const char *key, const QString &fallback = {});
qint64 intField(const Json &object, const char *key, qint64 fallback = 0);
bool boolField(const Json &object, const char *key, bool fallback = false);

Json toJson(const QStringList &list);
QStringList stringListFromJson(const Json &array);

// Every text that becomes JSON goes through parseJson (or parseOrderedJson), which never
// throws: a syntax error, a number too big for a double (1e999999) and nesting deeper than
// `maxDepth` all return a discarded value and fill `error` with "line L, column C: reason".
// The depth limit keeps every recursive walk (dump, templates, redaction, validation) far
// inside a thread's stack. docs/server.md ("Limits") lists both limits.
//
// kJsonMaxDepth: documents people write and send (requests, mock sets, bot files, datasets,
// parameters). kJsonMaxWireDepth: machine streams that wrap such documents a few levels
// deeper (events, listings, cached answers), so a document accepted at the first limit is
// never refused when it comes back inside an event.
inline constexpr int kJsonMaxDepth = 128;
inline constexpr int kJsonMaxWireDepth = 256;

Json parseJson(QByteArrayView bytes, QString *error = nullptr, int maxDepth = kJsonMaxDepth);

// The same parse for a caller that marks the place itself (an editor's underline).
struct JsonParseError
{
    qsizetype offset = 0; // the byte the parse stopped at
    QString reason;       // without the place
};
Json parseJsonAt(QByteArrayView bytes, JsonParseError *error, int maxDepth = kJsonMaxDepth);
// The same, keeping each object's key order (for showing a document as it was written).
nlohmann::ordered_json parseOrderedJson(QByteArrayView bytes, QString *error = nullptr,
                                        int maxDepth = kJsonMaxDepth);
QByteArray dumpJson(const Json &value, int indent = -1);

// "line L, column C" for a byte offset into `bytes`.
QString describePosition(QByteArrayView bytes, qsizetype offset);

} // namespace invoke
