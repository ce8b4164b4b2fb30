#pragma once
// The order steps run in: every step after the steps it depends on, otherwise in file order.
#include "core/engine/botdefinition.h"

#include <QtCore/QSet>

#include <optional>

namespace invoke::engine {

// A stable topological order of `steps` by depends_on. Dependencies on keys outside
// `steps` are treated as met when `outside` holds them (handler steps may depend on the
// bot's steps); an unknown key or a cycle returns nullopt and `error` names the steps.
std::optional<QList<const StepDefinition *>> orderSteps(const QList<StepDefinition> &steps,
                                                        const QSet<QString> &outside = {},
                                                        QString *error = nullptr);

} // namespace invoke::engine
