#pragma once
#include "core/model/json/json.h"

#include <QtCore/QList>
#include <QtCore/QMap>

#include <optional>

namespace invoke {

// One mocked answer: {"status": "success", "output": ...} or {"status": "error", "error": "..."}.
struct MockResponse
{
    bool success = true;
    Json output;   // required when success
    QString error; // required when !success

    Json toJson() const;
    bool operator==(const MockResponse &) const = default;
};

// A problem found while reading a mock set: which key, which field, and where.
struct MockProblem
{
    QString key;   // empty for a problem with the whole document
    QString field; // "status", "output", "error" or empty
    QString message;
    int line = 0;  // 1-based line in the file, 0 when unknown

    QString toString() const; // "line 4: key "answer": field "output" is required ..."
};

// Maps a step path ("answer", "research/summarise") or an action type ("llm.message")
// to a mocked answer. A step path wins over an action type (docs/mocks.md).
class MockSet
{
public:
    bool isEmpty() const { return m_entries.isEmpty(); }
    qsizetype size() const { return m_entries.size(); }
    QStringList keys() const { return m_entries.keys(); }
    bool contains(const QString &key) const { return m_entries.contains(key); }
    std::optional<MockResponse> value(const QString &key) const;
    // The entry itself, or null: no copy of its output (coverage asks this per step).
    const MockResponse *entry(const QString &key) const
    {
        const auto it = m_entries.constFind(key);
        return it == m_entries.cend() ? nullptr : &*it;
    }
    void insert(const QString &key, const MockResponse &response) { m_entries.insert(key, response); }
    void remove(const QString &key) { m_entries.remove(key); }

    // The answer for a step: by its path first, then by its action type.
    std::optional<MockResponse> find(const QString &stepPath, const QString &actionType) const;

    // Keys are written sorted (nlohmann keeps objects sorted), so saved files diff well.
    Json toJson() const;
    // Validates every entry; returns nullopt and fills `problems` when any is wrong.
    static std::optional<MockSet> fromJson(const Json &value, QList<MockProblem> *problems = nullptr);
    // Parses file bytes; problems carry line numbers.
    static std::optional<MockSet> parse(QByteArrayView bytes, QList<MockProblem> *problems = nullptr);
    // Reads a file; `error` says what and where (file, line, key, field).
    static std::optional<MockSet> load(const QString &filePath, QString *error = nullptr);

    bool operator==(const MockSet &) const = default;

private:
    QMap<QString, MockResponse> m_entries;
};

} // namespace invoke
