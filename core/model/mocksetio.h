#pragma once
// Writing mock sets in one stable layout, so that a saved file diffs well and
// save -> load -> save gives the same bytes (docs/mocks.md).
//
// Layout: keys sorted (nlohmann keeps objects sorted), 2-space indent, one member per
// line, "key": value with one space, non-ASCII written as UTF-8, a trailing newline.
#include "core/model/mockset.h"

namespace invoke {

// The bytes of `set` in the stable layout.
QByteArray mockSetBytes(const MockSet &set);
// Any JSON document in the same layout (an editor saving a document it holds as JSON).
QByteArray mockDocumentBytes(const Json &document);

// Writes `bytes` to `filePath` atomically (QSaveFile): on any failure the old file is
// left as it was, and `error` says what failed and where. The folder must exist.
bool writeFileAtomically(const QString &filePath, const QByteArray &bytes, QString *error = nullptr);
// mockSetBytes(set) written atomically to `filePath`.
bool saveMockSet(const MockSet &set, const QString &filePath, QString *error = nullptr);

} // namespace invoke
