#include "core/engine/botplanner.h"

#include "core/engine/botcatalog.h"
#include "core/engine/steporder.h"
#include "core/model/actiontypes.h"

#include <QtCore/QFileInfo>

using namespace Qt::StringLiterals;

namespace invoke::engine {

namespace {


// Walks steps the way InvocationRun does: a step, then its sub-bot's steps (they run
// inside it), then its result handlers' steps.
class Planner
{
public:
    explicit Planner(const BotCatalog &catalog) : m_catalog(catalog) {}

    QList<PlannedStep> steps;

    void bot(const BotDefinition &definition, const QString &prefix, int depth, bool conditional)
    {
        m_stack.append(definition.info.key);
        QSet<QString> known; // what its handlers' steps may depend on
        known.reserve(definition.steps.size());
        for (const StepDefinition &s : definition.steps)
            known.insert(s.key);
        list(definition, definition.steps, {}, prefix, depth, conditional, known);
        m_stack.removeLast();
    }

private:
    void list(const BotDefinition &definition, const QList<StepDefinition> &group, const QSet<QString> &outside,
              const QString &prefix, int depth, bool conditional, const QSet<QString> &known)
    {
        QList<const StepDefinition *> order;
        if (const auto ordered = orderSteps(group, outside))
            order = *ordered;
        else // the run would fail before this group starts; still show its steps
            for (const StepDefinition &s : group)
                order.append(&s);
        for (const StepDefinition *s : std::as_const(order))
            step(definition, *s, prefix, depth, conditional, known);
    }

    void step(const BotDefinition &definition, const StepDefinition &s, const QString &prefix, int depth,
              bool conditional, const QSet<QString> &known)
    {
        PlannedStep planned{prefix + s.key, s.key, s.actionType, definition.info.key, depth, conditional, s.line, {},
                            s.dependsOn};
        if (depth > 0) // the invoked bot's own version is the plan's updated_at
            planned.botUpdatedAt = definition.info.updatedAtText();
        const qsizetype at = steps.size();
        steps.append(planned);
        if (s.actionType == ActionType::BotInvoke)
            subBot(s, planned, depth, conditional, at);
        for (const ResultHandler &handler : s.resultHandlers)
            list(definition, handler.steps, known, prefix, depth, true, known);
    }

    void subBot(const StepDefinition &s, const PlannedStep &planned, int depth, bool conditional, qsizetype at)
    {
        const Json &p = s.parameters;
        const auto key = p.is_object() ? p.find("bot_key") : p.end();
        if (!p.is_object() || key == p.end() || !key->is_string()) {
            steps[at].note = u"no \"bot_key\" parameter: the step fails when run"_s;
            return;
        }
        const QString botKey = toQString(key->get<std::string>());
        if (botKey.contains(u"{{"_s)) {
            steps[at].note = u"bot_key \"%1\" is a template: its steps are known only when it runs"_s.arg(botKey);
            return;
        }
        const BotDefinition *sub = m_catalog.find(botKey);
        if (!sub) {
            steps[at].note = u"bot \"%1\" not found: the step fails when run"_s.arg(botKey);
            return;
        }
        if (m_stack.contains(botKey)) {
            steps[at].note = u"bot.invoke cycle: %1 -> %2"_s.arg(m_stack.join(u" -> "_s), botKey);
            return;
        }
        bot(*sub, planned.path + u'/', depth + 1, conditional);
    }

    const BotCatalog &m_catalog;
    QStringList m_stack;
};

} // namespace

QList<PlannedStep> plannedSteps(const BotDefinition &bot, const BotCatalog &catalog)
{
    Planner planner(catalog);
    planner.bot(bot, {}, 0, false);
    return planner.steps;
}


BotPlan botPlan(const BotDefinition &bot, const BotCatalog &catalog)
{
    return BotPlan{bot.info.key, bot.info.name, bot.info.updatedAt, plannedSteps(bot, catalog)};
}

QString missingBotReason(const BotCatalog &catalog, const QString &key, bool fileNamesOnly)
{
    for (const LoadProblem &problem : catalog.problems()) {
        if (QFileInfo(problem.file).fileName() == key + u".bot.json"_s) {
            LoadProblem shown = problem;
            if (fileNamesOnly)
                shown.file = QFileInfo(problem.file).fileName();
            return u"bot \"%1\" could not be loaded: %2"_s.arg(key, shown.toString());
        }
    }
    return u"bot \"%1\" not found"_s.arg(key);
}

} // namespace invoke::engine
