#include "core/format/formatter.h"

using namespace Qt::StringLiterals;

namespace invoke::format {

namespace {

// JSON objects and arrays are shown indented by 2, keeping the bot's key order.
QString prettyResult(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (!trimmed.startsWith(u'{') && !trimmed.startsWith(u'['))
        return text;
    const auto parsed = parseOrderedJson(trimmed.toUtf8(), nullptr, kJsonMaxWireDepth);
    if (parsed.is_discarded() || !parsed.is_structured())
        return text;
    return toQString(parsed.dump(2, ' ', false, Json::error_handler_t::replace));
}

} // namespace

QString text(const InvokeResult &result, bool verbose)
{
    const QString botName = result.botName.isEmpty() ? result.botKey : result.botName;
    QString out = u"Bot: "_s + botName + u"\nInvocation ID: "_s + result.invocationId + u'\n';

    if (verbose) {
        out += u"\nSteps:\n"_s;
        for (const StepRecord &step : result.steps) {
            out += step.completed() ? u"  ✓ "_s : u"  • "_s;
            out += step.path.isEmpty() ? step.key : step.path;
            if (!step.actionType.isEmpty())
                out += u" ("_s + step.actionType + u')';
            out += u'\n';
            // Why a replay step was not answered from the cache (docs/cache.md).
            if (const QString why = stringField(step.replayMiss, "summary"); !why.isEmpty())
                out += (stringField(step.replayMiss, "reason") == u"refresh"_s ? u"      replay refresh: "_s
                                                                                : u"      replay miss: "_s)
                    + why + u'\n';
        }
    }

    // A failed run still shows whatever text it produced, then the error.
    const QString visible = result.visibleText();
    if (result.success || !visible.isEmpty())
        out += u"\nResult:\n"_s + prettyResult(visible) + u'\n';
    if (!result.success)
        out += u"\nError: "_s + (result.error.isEmpty() ? u"the invocation failed"_s : result.error) + u'\n';
    return out;
}

QString json(const InvokeResult &result)
{
    return QString::fromUtf8(dumpJson(InvocationSummary::from(result).toJson(), 2)) + u'\n';
}

QString events(const InvokeResult &result)
{
    Json list = Json::array();
    for (const Event &event : result.events) {
        Json value = event.json();
        if (!value.is_discarded())
            list.push_back(std::move(value));
    }
    return QString::fromUtf8(dumpJson(Json{{"events", std::move(list)}}, 2)) + u'\n';
}

QString render(const InvokeResult &result, OutputFormat format, bool verbose)
{
    switch (format) {
    case OutputFormat::Events: return events(result);
    case OutputFormat::Text: return text(result, verbose);
    case OutputFormat::Json: return json(result);
    }
    return text(result, verbose);
}

} // namespace invoke::format
