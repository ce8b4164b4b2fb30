#pragma once
// The `files` of a codeexec step: what the program created or changed in its work folder.
#include "core/engine/sandbox/launcher.h"
#include "core/model/json/json.h"

namespace invoke::engine {

// New and changed entries of `listing` (an input left as it was is not listed), sorted by
// name: [{name, size, content?}], {name, symlink: true}, {name, special: true}; `content`
// for small UTF-8 text. A name that is not valid UTF-8, or holds a control character,
// comes escaped (\xHH for such bytes, \\ for a backslash) with "escaped": true. At most
// `maxFiles` entries; `*more` counts the rest.
Json changedFiles(const sandbox::Listing &listing, const QList<sandbox::InputFile> &inputs, int maxFiles,
                  int *more);

// The name as the listing shows it; `*escaped` when it had to be escaped.
QString escapeFileName(const QByteArray &name, bool *escaped);

} // namespace invoke::engine
