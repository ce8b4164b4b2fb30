#pragma once
// Finds where a value is written in a JSON text, so that a file's semantic errors
// (a step without a key, an unknown dependency) can name their line. nlohmann::json
// keeps no positions; these walk the bytes again.
#include <QtCore/QByteArrayView>

#include <optional>
#include <string>
#include <unordered_map>
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

// The same answers as locateJson and lineOfJson for many paths into one text, each in
// time of the path's length: the line starts are found in one pass, and each container
// a path goes through is scanned once, when first entered (so the lines of 8,000 steps
// cost one scan of the "steps" array, not 8,000 scans of the file). `bytes` must outlive
// the index. Not for use from several threads at once.
class JsonIndex
{
public:
    explicit JsonIndex(QByteArrayView bytes);

    qsizetype locate(const JsonPath &path);
    int line(const JsonPath &path);
    // The 1-based line holding byte `offset`.
    int lineAt(qsizetype offset);
    // The string value at `path`, decoded; nullopt when there is none or it is no string.
    // (Reads bot.key without parsing the file: the scan skips over everything else.)
    std::optional<std::string> stringAt(const JsonPath &path);

private:
    struct Child
    {
        qsizetype key = -1; // the offset of a member's key; -1 for an array item
        qsizetype value = 0;
    };
    struct Container
    {
        bool object = false;
        std::vector<Child> children;                   // in file order
        std::unordered_map<std::string, size_t> named; // member name -> its last child
    };
    // Offsets of each prefix of `path` that was found, outermost first (as in walk()).
    // `value`, when given, gets the offset of the value at the end of the path (or -1).
    std::vector<qsizetype> walk(const JsonPath &path, qsizetype *value = nullptr);
    const Container *containerAt(qsizetype offset);

    QByteArrayView m_bytes;
    qsizetype m_root = 0;
    std::vector<qsizetype> m_lineStarts; // filled on first use
    std::unordered_map<qsizetype, Container> m_containers; // by the offset of their bracket
};

} // namespace invoke
