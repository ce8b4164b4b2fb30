#pragma once
// Reads a member or two of a JSON object without building a DOM.
//
// The transcript looks at every streamed text chunk (hundreds of thousands in a long
// run) for three fields; a full nlohmann parse of each costs ~10x more than scanning
// the bytes. The input must be valid JSON (an Event's raw bytes always are: they were
// parsed once on arrival), so the scanner only tells structure apart and never
// validates. Whatever it cannot answer for sure (a key written with escapes) it
// reports as Unsure, and the caller falls back to a real parse.
#include <QtCore/QByteArrayView>
#include <QtCore/QString>

namespace invoke::ui::jsonpeek {

enum class Found { Yes, No, Unsure };

// The raw text of `key`'s value in the object `object` (e.g. `"hidden"` with its
// quotes, or `{...}`). No when the key is absent; Unsure when `object` is not an
// object or a key uses escapes.
Found member(QByteArrayView object, QByteArrayView key, QByteArrayView *value);

// Several members in one pass: values[i] is the value of keys[i], or a null view when
// absent. Unsure as member() is; else Yes (even when none was found). As in a parse,
// the last of a key given twice counts.
Found members(QByteArrayView object, const QByteArrayView *keys, QByteArrayView *values, int count);

// The text of a JSON string literal (with its quotes), escapes decoded; false when
// `literal` is not a string.
bool stringValue(QByteArrayView literal, QString *text);

} // namespace invoke::ui::jsonpeek
