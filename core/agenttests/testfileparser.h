#pragma once
// Reads *.tests.json files (docs/tests.md). A file is taken whole or refused whole: any
// syntax error, unknown key, unknown assertion or bad value refuses it, and every
// problem is reported as "file:line: what", before anything runs.
#include "core/agenttests/testcase.h"

namespace invoke::agenttests {

struct TestFileResult
{
    std::optional<TestFile> file;
    QStringList problems; // "file:line: what", in file order
};

// `displayPath` names the file in problems; mock files are read relative to `baseDir`.
TestFileResult parseTestFile(QByteArrayView bytes, const QString &displayPath, const QString &baseDir);
// Reads `filePath` (at most kMaxTestFileBytes) and parses it.
TestFileResult loadTestFile(const QString &filePath);

// One assertion as written ({"text_contains": "x"}, {"step": "a", "status": "success"});
// nullopt with `error` (no place) when it is not one. Editors use it to check a line.
std::optional<Assertion> parseAssertion(const Json &value, QString *error);

inline constexpr qint64 kMaxTestFileBytes = 16 * 1024 * 1024;

} // namespace invoke::agenttests
