#pragma once
// Finds where a value is written in a JSON text, so that a file's semantic errors
// (a step without a key, an unknown dependency) can name their line. nlohmann::json
// keeps no positions; this walks the bytes again, only when a message needs a line.
#include <QtCore/QByteArrayView>

#include <string>
#include <variant>
#include <vector>

namespace invoke {

// A path into a JSON document: object member names and array indexes.
using JsonPath = std::vector<std::variant<std::string, size_t>>;

// The byte offset of the value at `path` in `bytes` (which must be valid JSON); for a
// path ending in a member name, the offset of that member's key. -1 when not found.
qsizetype locateJson(QByteArrayView bytes, const JsonPath &path);

// The 1-based line of locateJson(bytes, path); the line of the closest ancestor that
// is found when the path itself is not; 1 for an empty document.
int lineOfJson(QByteArrayView bytes, const JsonPath &path);

} // namespace invoke
