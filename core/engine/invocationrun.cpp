#include "core/engine/invocationrun.h"

#include "core/engine/actiongate.h"
#include "core/engine/actionregistry.h"
#include "core/engine/botcatalog.h"
#include "core/engine/handlerconditions.h"
#include "core/engine/steporder.h"
#include "core/model/actiontypes.h"
#include "core/model/invocation/invokeresult.h"

#include <QtCore/QElapsedTimer>

using namespace Qt::StringLiterals;

namespace invoke::engine {

namespace {

QString stepFailure(const QString &path, const QString &actionType, const QString &error)
{
    return u"step \"%1\" (%2) failed: %3"_s.arg(path, actionType, error);
}

bool visibleByDefault(const QString &actionType)
{
    return actionType == ActionType::LlmMessage || actionType == ActionType::UtilsWrite;
}

// The step's visibility setting: its user_output_visibility, else the action's default.
// Its messages and its own step events (metadata.user_visibility) carry it.
bool stepVisible(const StepDefinition &step)
{
    return step.userOutputVisibility.isEmpty() ? visibleByDefault(step.actionType)
                                               : step.userOutputVisibility == u"visible"_s;
}

// The executor's side of one running step: its content goes out as one message.
class StepContext final : public ActionContext
{
public:
    StepContext(EventEmitter &events, QString path, QString contentType, bool visible,
                const CancelToken &cancel, const QList<Message> &conversation, const QStringList &datasets)
        : m_events(events), m_path(std::move(path)), m_contentType(std::move(contentType)),
          m_visible(visible), m_cancel(cancel), m_conversation(conversation), m_datasets(datasets)
    {
    }

    void emitContent(const QString &chunk) override { emitContentAs(chunk, m_contentType); }
    void emitContentAs(const QString &chunk, const QString &contentType)
    {
        if (chunk.isEmpty())
            return;
        if (m_messageId.isEmpty())
            m_messageId = m_events.newMessageId(m_path);
        m_events.emitContent(m_path, m_messageId, chunk, contentType, m_visible);
    }
    void emitStatus(const QString &status, const QString &message) override
    {
        m_events.emitEvent(wire::statusUpdate(m_events.stamp(m_path), status, message));
    }
    const CancelToken &cancelToken() const override { return m_cancel; }
    const QList<Message> &conversation() const override { return m_conversation; }
    QString invocationId() const override { return m_events.invocationId(); }
    QStringList datasets() const override { return m_datasets; }

    bool visible() const { return m_visible; }
    const QString &contentType() const { return m_contentType; }

private:
    EventEmitter &m_events;
    QString m_path;
    QString m_contentType;
    bool m_visible;
    const CancelToken &m_cancel;
    const QList<Message> &m_conversation;
    const QStringList &m_datasets;
    QString m_messageId;
};

} // namespace

InvocationRun::InvocationRun(const BotCatalog &catalog, const ActionRegistry &registry, ActionGate &gate,
                             const CancelToken &cancel, EventEmitter &events)
    : m_catalog(catalog), m_registry(registry), m_gate(gate), m_cancel(cancel), m_events(events)
{
}

ExecutionOutcome InvocationRun::run(const InvokeRequest &request)
{
    const BotDefinition *bot = m_catalog.find(request.botKey);
    m_events.emitEvent(wire::invocationStarted(m_events.stamp(), bot ? bot->info.displayName() : request.botKey,
                                               request.botKey,
                                               bot && !bot->info.id.isEmpty() ? bot->info.id : request.botKey));
    BotOutcome outcome;
    if (!bot) {
        outcome.error = u"bot \"%1\" not found"_s.arg(request.botKey);
    } else if (!request.parameters.is_null() && !request.parameters.is_object()) {
        outcome.error = u"the parameters must be a JSON object"_s;
    } else {
        m_datasets = request.datasets;
        m_botStack = {bot->info.key};
        const Json parameters = request.parameters.is_null() ? Json::object() : request.parameters;
        outcome = runBot(*bot, parameters, request.messages, {});
    }

    ExecutionOutcome result{m_events.invocationId(), QString(wireName(StepStatus::Success)), {}, outcome.output};
    if (m_stop == Stop::Cancelled) {
        result.status = wireName(StepStatus::Cancelled);
        result.error = m_stopError;
    } else if (!outcome.ok) {
        result.status = wireName(StepStatus::Error);
        result.error = outcome.error;
    }
    m_events.emitEvent(wire::invocationFinished(m_events.stamp(), result.status, m_events.visibleContent(),
                                                result.error));
    return result;
}

InvocationRun::BotOutcome InvocationRun::runBot(const BotDefinition &bot, Json parameters,
                                                const QList<Message> &messages, const QString &prefix)
{
    QStringList missing;
    for (const ParameterDefinition &definition : bot.info.parameters) {
        const std::string key = toStd(definition.key);
        if (parameters.contains(key))
            continue;
        if (!definition.defaultValue.is_null())
            parameters[key] = definition.defaultValue;
        else if (definition.required)
            missing.append(u"\"%1\""_s.arg(definition.key));
    }
    if (!missing.isEmpty()) {
        const QString what = missing.size() == 1 ? u"parameter"_s : u"parameters"_s;
        return {false, {}, u"bot \"%1\": missing required %2 %3"_s.arg(bot.info.key, what, missing.join(u", "_s))};
    }

    QString orderError;
    const auto order = orderSteps(bot.steps, {}, &orderError);
    if (!order)
        return {false, {}, u"bot \"%1\": %2"_s.arg(bot.info.key, orderError)};

    BotScope scope;
    scope.bot = &bot;
    scope.prefix = prefix;
    scope.templates.parameters = std::move(parameters);
    scope.templates.messages = messages;
    scope.templates.invocationId = m_events.invocationId();
    scope.templates.datasets = m_datasets;

    switch (runSteps(*order, scope)) {
    case Flow::Continue:
    case Flow::EndBot:
        return {true, scope.output, {}};
    case Flow::Fail:
        return {false, {}, scope.failure, true};
    case Flow::Stop:
        break;
    }
    return {false, {}, m_stopError, true};
}

InvocationRun::Flow InvocationRun::runSteps(const QList<const StepDefinition *> &steps, BotScope &scope)
{
    for (qsizetype i = 0; i < steps.size(); ++i) {
        if (m_stop == Stop::None && m_cancel.isCancelled())
            stop(Stop::Cancelled, u"cancelled"_s);
        if (m_stop != Stop::None) {
            skip(steps, i, scope);
            return Flow::Stop;
        }
        const Flow flow = runStepAndHandlers(*steps[i], scope);
        if (flow != Flow::Continue) {
            skip(steps, i + 1, scope);
            return flow;
        }
    }
    return Flow::Continue;
}

InvocationRun::Flow InvocationRun::runStepAndHandlers(const StepDefinition &step, BotScope &scope)
{
    const StepOutcome outcome = runStep(step, scope);
    if (m_stop != Stop::None)
        return Flow::Stop;
    if (outcome.ok)
        scope.templates.steps[toStd(step.key)] = outcome.output;
    scope.output = outcome.output;

    // A failure goes on only when a handler with IsError takes it; the handlers that
    // apply are chosen by the step's result before any of them runs.
    const FinishedStep finished{outcome.ok, outcome.output, outcome.error};
    QList<const ResultHandler *> applying;
    bool handled = outcome.ok;
    for (const ResultHandler &handler : step.resultHandlers) {
        bool handlesError = false;
        if (handlerApplies(handler, finished, &handlesError)) {
            applying.append(&handler);
            handled = handled || handlesError;
        }
    }
    if (!handled) {
        scope.failure = outcome.failure;
        return Flow::Fail;
    }

    // What handler steps may depend on: built once per bot run, not per step.
    if (!applying.isEmpty() && scope.stepKeys.isEmpty()) {
        scope.stepKeys.reserve(scope.bot->steps.size());
        for (const StepDefinition &s : scope.bot->steps)
            scope.stepKeys.insert(s.key);
    }
    for (const ResultHandler *handler : std::as_const(applying)) {
        QString orderError;
        const auto order = orderSteps(handler->steps, scope.stepKeys, &orderError);
        if (!order) {
            scope.failure = stepFailure(scope.prefix + step.key, step.actionType,
                                        u"result handler: %1"_s.arg(orderError));
            return Flow::Fail;
        }
        const Flow flow = runSteps(*order, scope);
        if (flow != Flow::Continue)
            return flow;
        if (handler->type == ResultHandler::Final)
            return Flow::EndBot;
    }
    return Flow::Continue;
}

InvocationRun::StepOutcome InvocationRun::runStep(const StepDefinition &step, BotScope &scope)
{
    const QString path = scope.prefix + step.key;
    const QString &type = step.actionType;
    QElapsedTimer clock;
    clock.start();

    const bool visible = stepVisible(step);
    StepContext context(m_events, path, step.outputContentType.isEmpty() ? u"text"_s : step.outputContentType,
                        visible, m_cancel, scope.templates.messages, m_datasets);

    QString templateError;
    std::optional<Json> rendered = renderTemplates(step.parameters, scope.templates, &templateError);
    if (const Action *action = m_registry.find(type); rendered && action)
        rendered = action->effectiveParameters(*rendered, context);
    m_events.emitEvent(wire::stepStarted(m_events.stamp(path), step.key, type, rendered ? *rendered : step.parameters,
                                         wire::stepVisibility(visible)));
    if (!rendered) {
        m_events.emitEvent(wire::stepFinished(m_events.stamp(path), step.key, type,
                                              StepStatus::Error, Json(), templateError,
                                              Source::Unknown, clock.elapsed(), {}, wire::stepVisibility(visible)));
        return {false, Json(), templateError, stepFailure(path, type, templateError)};
    }

    const ActionCall call{scope.bot->info.key, scope.bot->info.updatedAtText(), path, step.key, type, *rendered};
    const qint64 contentBefore = m_events.contentCount();
    QString nestedFailure;
    GateAnswer answer = m_gate.run(call, [&] { return compute(call, context, scope, &nestedFailure); });
    if (!answer.notice.isEmpty()) // a replay that waited for another process's fill, then went live
        context.emitStatus(u"replay_cache"_s, answer.notice);
    ActionOutcome &outcome = answer.outcome;

    StepStatus status = StepStatus::Error;
    QString failure;
    if (answer.missingMock) {
        status = StepStatus::Error;
        // The gate's message names the step path and the action type.
        stop(Stop::Failed, outcome.error);
    } else if (m_stop == Stop::Cancelled || (!outcome.ok && m_cancel.isCancelled())) {
        status = StepStatus::Cancelled;
        if (outcome.error.isEmpty())
            outcome.error = u"cancelled"_s;
        stop(Stop::Cancelled, u"cancelled"_s);
    } else if (m_stop == Stop::Failed) { // a sub-bot hit a missing mock
        status = StepStatus::Error;
    } else {
        status = outcome.ok ? StepStatus::Success : StepStatus::Error;
        if (!outcome.ok)
            failure = nestedFailure.isEmpty() ? stepFailure(path, type, outcome.error) : nestedFailure;
    }

    // Consumers see the same shape of run whoever answered: a mocked or replayed LLM
    // answer streams its content, and a visible step that wrote nothing shows its output.
    if (outcome.ok && m_events.contentCount() == contentBefore) {
        const Json &output = outcome.output;
        const auto content = output.is_object() ? output.find("content") : output.end();
        if (!answer.computed && output.is_object() && content != output.end() && content->is_string())
            context.emitContent(toQString(content->get<std::string>()));
        else if (visible && type != ActionType::LlmMessage && output.is_string())
            context.emitContent(toQString(output.get<std::string>()));
        else if (visible && type != ActionType::LlmMessage && !output.is_null())
            context.emitContentAs(QString::fromUtf8(dumpJson(output)), u"json"_s);
    }

    m_events.emitEvent(wire::stepFinished(m_events.stamp(path), step.key, type, status, outcome.output,
                                          outcome.error, answer.source, clock.elapsed(), outcome.usage,
                                          wire::stepVisibility(visible), answer.replayMiss));
    return {outcome.ok, outcome.output, outcome.error, failure};
}

ActionOutcome InvocationRun::compute(const ActionCall &call, ActionContext &context, BotScope &scope,
                                     QString *nestedFailure)
{
    if (call.actionType == ActionType::BotInvoke)
        return runSubBot(call, scope, nestedFailure);
    Action *action = m_registry.find(call.actionType);
    if (!action)
        return ActionOutcome::failure(u"unknown action type \"%1\""_s.arg(call.actionType));
    try {
        return action->run(call, context);
    } catch (const std::exception &e) {
        // A bug in an action must fail its step, not the whole application.
        return ActionOutcome::failure(u"%1 failed unexpectedly: %2"_s.arg(call.actionType, QString::fromUtf8(e.what())));
    }
}

ActionOutcome InvocationRun::runSubBot(const ActionCall &call, BotScope &scope, QString *nestedFailure)
{
    const Json &p = call.parameters;
    const QString key = stringField(p, "bot_key");
    if (key.isEmpty())
        return ActionOutcome::failure(u"bot.invoke needs a \"bot_key\" parameter (a bot key)"_s);
    const BotDefinition *bot = m_catalog.find(key);
    if (!bot)
        return ActionOutcome::failure(u"bot \"%1\" not found"_s.arg(key));
    if (m_botStack.contains(key))
        return ActionOutcome::failure(u"bot.invoke cycle: %1 -> %2"_s.arg(m_botStack.join(u" -> "_s), key));

    Json parameters = Json::object();
    if (p.contains("parameters") && !p["parameters"].is_null()) {
        if (!p["parameters"].is_object())
            return ActionOutcome::failure(u"bot.invoke: \"parameters\" must be an object"_s);
        parameters = p["parameters"];
    }
    QList<Message> messages = scope.templates.messages; // the conversation, unless given
    if (p.contains("messages") && !p["messages"].is_null()) {
        if (p["messages"].is_string()) {
            messages = {Message::user(toQString(p["messages"].get<std::string>()))};
        } else {
            QString error;
            const auto parsed = messagesFromJson(p["messages"], &error);
            if (!parsed)
                return ActionOutcome::failure(u"bot.invoke: \"messages\": %1"_s.arg(error));
            messages = *parsed;
        }
    }

    m_botStack.append(key);
    const BotOutcome outcome = runBot(*bot, std::move(parameters), messages, call.stepPath + u'/');
    m_botStack.removeLast();
    if (outcome.ok)
        return ActionOutcome::success(outcome.output);
    if (outcome.fromStep)
        *nestedFailure = outcome.error;
    return ActionOutcome::failure(outcome.error);
}

void InvocationRun::skip(const QList<const StepDefinition *> &steps, qsizetype from, const BotScope &scope)
{
    for (qsizetype i = from; i < steps.size(); ++i) {
        const StepDefinition &step = *steps[i];
        m_events.emitEvent(wire::stepFinished(m_events.stamp(scope.prefix + step.key), step.key, step.actionType,
                                              StepStatus::Skipped, Json(), {}, Source::Unknown, -1, {},
                                              wire::stepVisibility(stepVisible(step))));
    }
}

void InvocationRun::stop(Stop why, const QString &error)
{
    if (m_stop != Stop::None)
        return;
    m_stop = why;
    m_stopError = error;
}

} // namespace invoke::engine
