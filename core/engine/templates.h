#pragma once
// {{templates}} in step parameters (docs/bots.md, Templates).
#include "core/model/invocation/message.h"

#include <optional>

namespace invoke::engine {

// What a template can name.
struct TemplateScope
{
    Json parameters = Json::object(); // {{name}}
    Json steps = Json::object();      // {{steps.KEY.field.sub}}: KEY -> that step's output
    QList<Message> messages;          // {{system.messages}} (array of {role, content}); {{query}}
    QString invocationId;             // {{system.invocation_id}}
    QStringList datasets;             // {{system.datasets}}
};

// Renders every string inside `value` (objects and arrays recursively; keys are not
// rendered). A string that is exactly one template keeps the type of what it names; a
// template inside a longer string renders as text (objects and arrays as compact JSON).
// `{{x?}}` is optional: missing renders as null when alone, as "" inside text (so does a
// null). Whitespace inside the braces is ignored; an unterminated "{{" is plain text.
// Names: a parameter, with optional fields ({{config.model}}; a null parameter counts as
// not set); steps.KEY[.field...] (array items by index: items.0); system.messages,
// system.invocation_id, system.datasets; query (a "query" parameter when set, else the
// last user message).
// A missing required value returns nullopt and `error` names it, e.g.
// "template {{steps.plan.title}}: step \"plan\" has no output field \"title\"",
// "template {{topic}}: parameter \"topic\" is not set",
// "template {{steps.plan}}: step \"plan\" has not run". A malformed name
// ({{steps}}, {{system.nope}}, {{a..b}}) is an error even when marked optional.
std::optional<Json> renderTemplates(const Json &value, const TemplateScope &scope,
                                    QString *error = nullptr);

} // namespace invoke::engine
