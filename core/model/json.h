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

// A string member of an object, or `fallback` when missing or not a string.
QString stringField(const Json &object, const char *key, const QString &fallback = {});
qint64 intField(const Json &object, const char *key, qint64 fallback = 0);
bool boolField(const Json &object, const char *key, bool fallback = false);

Json toJson(const QStringList &list);
QStringList stringListFromJson(const Json &array);

// Parses UTF-8 bytes; on failure returns a discarded value and fills `error` (with line).
Json parseJson(QByteArrayView bytes, QString *error = nullptr);
QByteArray dumpJson(const Json &value, int indent = -1);

// "line L, column C" for a byte offset into `bytes`.
QString describePosition(QByteArrayView bytes, qsizetype offset);

} // namespace invoke
