#pragma once
// One member of an event's JSON by its dot path (`payload.parameters.max_tokens`), read in
// one pass over the bytes (core/model/json/eventscan.h) without building the event's tree: only
// the member itself becomes a Json value. A filter on a payload member over a million
// events reads them at the cost of a scan instead of a parse (docs/filters.md, "Speed").
//
// The answer is exactly what parseJson(bytes, nullptr, kJsonMaxWireDepth) and a walk of
// the parsed tree give (core/filter/eventrecord.cpp): a text that does not parse, or nests
// deeper than the wire limit, has no member; a repeated key counts with its last value, as
// it does in a tree; a number as a segment indexes an array (at most 9 digits), names a
// member of an object. So the whole text is still read (its end decides whether it parses,
// a later duplicate decides the value); what is saved is the tree of everything else.
// tests/core/tst_filtermembers.cpp and the filter fuzzer compare it with the tree's answer.
#include "core/model/json/json.h"

#include <QtCore/QByteArrayView>

#include <string>
#include <string_view>
#include <vector>

namespace invoke::filter {

struct MemberValue
{
    bool found = false; // the text parses and has the member
    Json value;         // the member, when found
};

// The member `top` ("payload", "metadata") of the event in `bytes`, and below it `path`
// ({"parameters", "max_tokens"}; empty for `top` itself).
MemberValue scanMember(QByteArrayView bytes, std::string_view top, const std::vector<std::string> &path);

} // namespace invoke::filter
