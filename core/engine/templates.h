#pragma once
// {{templates}} in step parameters (DESIGN.md §5).
#include "core/model/message.h"

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
// `{{x?}}` is optional: missing renders as null when alone, as "" inside text.
// A missing required value returns nullopt and `error` names it, e.g.
// "template {{steps.plan.title}}: step \"plan\" has no field \"title\"".
std::optional<Json> renderTemplates(const Json &value, const TemplateScope &scope,
                                    QString *error = nullptr);

} // namespace invoke::engine
