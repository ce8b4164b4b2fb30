#pragma once
// Which action types the modes govern: the ones that reach outside the engine
// (llm.message, memory.search, codeexec.execute, codeexec.run). Live, replay and manual
// mode decide how these are answered; the others (utils.*, bot.invoke) are pure and
// always computed (core/engine/actiongate.h applies it; core/mocks reasons with it).
#include <QtCore/QString>

namespace invoke {

bool isGovernedActionType(const QString &actionType);

} // namespace invoke
