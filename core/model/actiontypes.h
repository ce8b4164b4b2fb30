#pragma once
// The action types a bot's steps name (docs/bots.md), spelt once: code uses these
// constants, never the literals.
//
// Which action types the modes govern: the ones that reach outside the engine
// (llm.message, memory.search, codeexec.execute, codeexec.run). Live, replay and manual
// mode decide how these are answered; the others (utils.*, bot.invoke) are pure and
// always computed (core/engine/actiongate.h applies it; core/mocks reasons with it).
#include <QtCore/QLatin1StringView>
#include <QtCore/QString>

namespace invoke {

namespace ActionType {
inline constexpr QLatin1StringView LlmMessage{"llm.message"};
inline constexpr QLatin1StringView MemorySearch{"memory.search"};
inline constexpr QLatin1StringView CodeExecExecute{"codeexec.execute"};
inline constexpr QLatin1StringView CodeExecRun{"codeexec.run"};
inline constexpr QLatin1StringView BotInvoke{"bot.invoke"};
inline constexpr QLatin1StringView UtilsEcho{"utils.echo"};
inline constexpr QLatin1StringView UtilsParseJson{"utils.parse_json"};
inline constexpr QLatin1StringView UtilsSendStatus{"utils.send_status"};
inline constexpr QLatin1StringView UtilsWrite{"utils.write"};
inline constexpr QLatin1StringView UtilsRaise{"utils.raise"};
// The prefix of the code actions (codeexec.execute, codeexec.run).
inline constexpr QLatin1StringView CodeExecPrefix{"codeexec."};
} // namespace ActionType

bool isGovernedActionType(const QString &actionType);

} // namespace invoke
