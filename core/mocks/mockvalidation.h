#pragma once
// Checks a mock set file with messages that name the key, the field and the line
// (docs/mocks.md): the document's structure (MockSet::parse's rules), a key written
// twice (JSON keeps the last; the problem is on the kept one's line), members a mock
// does not have (they would be dropped on save), an "error" on a success mock, the
// output against its action type's schema (mockschema.h), and, when the bot is known,
// keys that name neither a step of the bot (nested sub-bot paths included) nor an
// action type ("unknown step"). A step-path key's output is checked against that
// step's action type.
#include "core/model/botplan.h"
#include "core/model/mockset.h"

namespace invoke::mocks {

struct MockValidation
{
    std::optional<MockSet> mocks; // the set, when its structure is valid (schema problems may remain)
    QList<MockProblem> problems;  // in line order; empty when the file is clean
    bool ok() const { return mocks.has_value() && problems.isEmpty(); }
};

// Validates file bytes. `plan` (the bot's steps, sub-bots' included) is optional.
// Problems carry 1-based lines (0 for a problem with no place, e.g. an empty file).
MockValidation validateMockBytes(QByteArrayView bytes, const BotPlan *plan = nullptr);

// Validates a parsed document (an editor's in-memory set); lines are 0.
QList<MockProblem> validateMockJson(const Json &document, const BotPlan *plan = nullptr);

// Validates one entry ({"status", "output", "error"}) under `key`, for an editor
// checking the key it shows; `entryBytes`, when given, is the entry's own text and
// gives the problems lines relative to it (1 = its first line).
QList<MockProblem> validateMockEntry(const QString &key, const Json &entry, const BotPlan *plan = nullptr,
                                     QByteArrayView entryBytes = {});

// "file:line: key: field: message" (parts left out when empty), as invoke-cli prints it.
QString problemLine(const QString &file, const MockProblem &problem);

} // namespace invoke::mocks
