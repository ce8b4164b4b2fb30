#include "core/engine/actiongate.h"

#include "core/cache/missexplanation.h"
#include "core/cache/replaycache.h"
#include "core/model/actiontypes.h"
#include "core/model/invocation/invokeresult.h"

using namespace Qt::StringLiterals;

namespace invoke::engine {

namespace {

GateAnswer answer(ActionOutcome outcome, Source source, bool computed)
{
    GateAnswer a;
    a.outcome = std::move(outcome);
    a.source = source;
    a.computed = computed;
    return a;
}

GateAnswer fromMock(const MockResponse &mock)
{
    // A mocked LLM answer may carry usage (a saved run does): show its tokens like a live one.
    wire::Usage usage;
    if (const Json &u = mock.output.is_object() ? mock.output.value("usage", Json()) : Json(); u.is_object()) {
        usage.inputTokens = intField(u, "input_tokens", -1);
        usage.outputTokens = intField(u, "output_tokens", -1);
    }
    return answer(mock.success ? ActionOutcome::success(mock.output, usage) : ActionOutcome::failure(mock.error),
                  Source::Mock, false);
}

// Why `parts` found no answer (or is recorded again): compared with the entries of the
// same scope, bot and action type (docs/cache.md, Why a replay missed). A cache that
// cannot list says so instead; the step goes on either way.
Json explainReplayMiss(const cache::ReplayCache &cache, const cache::CacheKeyParts &parts, bool refresh)
{
    cache::CacheFilter filter;
    filter.scope = parts.scope;
    filter.botKey = parts.botKey;
    filter.actionType = parts.actionType;
    filter.limit = 64; // the newest; a bot's own steps' entries are among them
    QString error;
    const QList<cache::CacheEntry> candidates = cache.list(filter, &error);
    if (!error.isEmpty())
        return Json{{"reason", "unknown"}, {"summary", toStd(u"the replay cache could not be read to say why: "_s + error)},
                    {"fields", Json::array()}, {"nearest", Json()}};
    return cache::explainMiss(parts, candidates, refresh).toJson(parts);
}

} // namespace

ActionGate::ActionGate(Options options)
    : m_options(std::move(options))
{
}

bool ActionGate::isGoverned(const QString &actionType)
{
    return isGovernedActionType(actionType);
}

GateAnswer ActionGate::run(const ActionCall &call, const std::function<ActionOutcome()> &compute)
{
    const bool governed = isGoverned(call.actionType);

    // A pinned answer holds whatever the mode: nothing runs, nothing is looked up or stored.
    if (const auto pinned = m_options.pinned.value(call.stepPath))
        return fromMock(*pinned);

    if (m_options.mode.kind == Mode::Manual) {
        // A step path beats an action type; only governed actions fall back to the type,
        // so pure steps still react to a changed upstream answer.
        if (const auto mock = m_options.mocks.value(call.stepPath))
            return fromMock(*mock);
        if (!governed)
            return answer(compute(), Source::Live, true);
        if (const auto mock = m_options.mocks.value(call.actionType))
            return fromMock(*mock);
        GateAnswer missing = answer(
            ActionOutcome::failure(u"no mock for step \"%1\" (%2): add a mock keyed \"%1\" or \"%2\" "
                                   "to the mock set"_s.arg(call.stepPath, call.actionType)),
            Source::Mock, false);
        missing.missingMock = true;
        return missing;
    }

    const bool cached = m_options.mode.kind == Mode::Replay && governed
        && m_options.cacheableTypes.contains(call.actionType);
    if (!cached)
        return answer(compute(), Source::Live, true);

    // Replay. A cache that cannot be read or written fails the step rather than quietly
    // turning replay into live calls the user did not ask for (and may pay for).
    cache::ReplayCache *cache = m_options.cache;
    if (!cache)
        return answer(ActionOutcome::failure(u"replay mode needs a replay cache, and none was given"_s),
                      Source::Unknown, false);
    const QString key = cache::CacheKeyParts::key(m_options.scope, call.botKey, call.botUpdatedAt, call.actionType,
                                           call.parameters);
    if (!m_options.mode.refresh) {
        QString error;
        if (const auto entry = cache->lookup(key, &error))
            return answer(ActionOutcome::success(entry->output, entry->usage), Source::ReplayHit, false);
        if (!error.isEmpty())
            return answer(ActionOutcome::failure(u"replay cache: %1"_s.arg(error)), Source::Unknown, false);
    }
    const cache::CacheKeyParts parts{m_options.scope, call.botKey, call.botUpdatedAt, call.actionType,
                                     call.parameters};
    const Json replayMiss = explainReplayMiss(*cache, parts, m_options.mode.refresh);
    if (m_options.lookupOnly) {
        GateAnswer refused = answer(
            ActionOutcome::failure(u"no recorded answer for step \"%1\" (%2, key %3) in the replay cache "
                                   "%4, and this run may only read it: record it with a replay run "
                                   "first (replay miss: %5)"_s.arg(call.stepPath, call.actionType, key.left(12),
                                                                    cache->location(),
                                                                    stringField(replayMiss, "summary"))),
            Source::Unknown, false);
        refused.replayMiss = replayMiss;
        return refused;
    }

    // A store shared by several processes lets one of them fetch a missed answer while
    // the others wait for it (docs/cache.md, Concurrency); the claim is let go on return.
    QString notice;
    cache::FillTicket ticket;
    if (!m_options.mode.refresh) {
        QString error;
        ticket = cache->claimFill(key, &error);
        if (!error.isEmpty())
            return answer(ActionOutcome::failure(u"replay cache: %1"_s.arg(error)), Source::Unknown, false);
        if (ticket.waited && !ticket.timedOut) {
            if (const auto entry = cache->lookup(key, &error))
                return answer(ActionOutcome::success(entry->output, entry->usage), Source::ReplayHit, false);
            if (!error.isEmpty())
                return answer(ActionOutcome::failure(u"replay cache: %1"_s.arg(error)), Source::Unknown, false);
        }
        if (ticket.timedOut) {
            notice = u"waited %1 s for another process recording the same answer (key %2) in the replay cache "
                     "%3; running live"_s.arg(ticket.waitedMs / 1000.0, 0, 'f', 1).arg(key.left(12), cache->location());
            qWarning("%s", qUtf8Printable(notice)); // on stderr too: the CLI's user and the server's log see it
        }
    }

    ActionOutcome outcome = compute();
    const auto withNotice = [&notice, &replayMiss](GateAnswer a) {
        a.notice = notice;
        a.replayMiss = replayMiss;
        return a;
    };
    if (!outcome.ok)
        return withNotice(answer(std::move(outcome), Source::Live, true)); // errors are never stored
    QString error;
    if (!cache->store(parts, outcome.output, outcome.usage, &error)) {
        // The live answer is kept in the step's output so nothing that was paid for is lost.
        ActionOutcome failed = ActionOutcome::failure(
            u"the live answer could not be stored in the replay cache: %1"_s.arg(error), outcome.output);
        failed.usage = outcome.usage;
        return withNotice(answer(std::move(failed), Source::Live, true));
    }
    return withNotice(answer(std::move(outcome), m_options.mode.refresh ? Source::Refreshed : Source::ReplayStored, true));
}

} // namespace invoke::engine
