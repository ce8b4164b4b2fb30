#pragma once
// One invocation in progress (the Executor's working state): walks a bot's steps in
// depends_on order, their result handlers and sub-bots, and decides when the run stops.
#include "core/engine/action.h"
#include "core/engine/botdefinition.h"
#include "core/engine/eventemitter.h"
#include "core/engine/executor.h"
#include "core/engine/templates.h"

#include <QtCore/QSet>

namespace invoke::engine {

class InvocationRun
{
public:
    InvocationRun(const BotCatalog &catalog, const ActionRegistry &registry, ActionGate &gate,
                  const CancelToken &cancel, EventEmitter &events);

    ExecutionOutcome run(const InvokeRequest &request);

private:
    struct BotScope
    {
        const BotDefinition *bot = nullptr;
        QString prefix; // "" for the invoked bot, "parent/" for a sub-bot's steps
        TemplateScope templates;
        Json output;     // the last step's output (a final handler's last step at the end)
        QString failure; // why the bot failed, when a step failure went unhandled
        QSet<QString> stepKeys; // the bot's step keys, once a result handler needs them
    };
    struct BotOutcome
    {
        bool ok = false;
        Json output;
        QString error;
        bool fromStep = false; // error is an already formatted step failure
    };
    struct StepOutcome
    {
        bool ok = false;
        Json output;
        QString error;
        QString failure; // `step "path" (type) failed: error`, or a sub-bot's own failure
    };
    enum class Flow { Continue, EndBot, Fail, Stop };
    enum class Stop { None, Failed, Cancelled };

    BotOutcome runBot(const BotDefinition &bot, Json parameters, const QList<Message> &messages,
                      const QString &prefix);
    Flow runSteps(const QList<const StepDefinition *> &steps, BotScope &scope);
    Flow runStepAndHandlers(const StepDefinition &step, BotScope &scope);
    StepOutcome runStep(const StepDefinition &step, BotScope &scope);
    ActionOutcome compute(const ActionCall &call, ActionContext &context, BotScope &scope,
                          QString *nestedFailure);
    ActionOutcome runSubBot(const ActionCall &call, BotScope &scope, QString *nestedFailure);
    void skip(const QList<const StepDefinition *> &steps, qsizetype from, const BotScope &scope);
    void stop(Stop why, const QString &error);

    const BotCatalog &m_catalog;
    const ActionRegistry &m_registry;
    ActionGate &m_gate;
    const CancelToken &m_cancel;
    EventEmitter &m_events;
    QStringList m_datasets;
    QStringList m_botStack; // bot keys from the invoked bot down to the running sub-bot
    Stop m_stop = Stop::None;
    QString m_stopError;
};

} // namespace invoke::engine
