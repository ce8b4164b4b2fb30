#include "core/engine/steporder.h"

#include <QtCore/QSet>

using namespace Qt::StringLiterals;

namespace invoke::engine {

std::optional<QList<const StepDefinition *>> orderSteps(const QList<StepDefinition> &steps,
                                                        const QStringList &outside, QString *error)
{
    QSet<QString> keys;
    for (const StepDefinition &step : steps)
        keys.insert(step.key);
    for (const StepDefinition &step : steps) {
        for (const QString &dependency : step.dependsOn) {
            if (!keys.contains(dependency) && !outside.contains(dependency)) {
                if (error)
                    *error = u"step \"%1\" depends on unknown step \"%2\""_s.arg(step.key, dependency);
                return std::nullopt;
            }
        }
    }

    // Kahn's algorithm, always taking the first ready step in file order: bots are
    // small, so the quadratic scan keeps the order obvious.
    QList<const StepDefinition *> order;
    QSet<QString> placed;
    QList<bool> done(steps.size(), false);
    while (order.size() < steps.size()) {
        bool progressed = false;
        for (qsizetype i = 0; i < steps.size(); ++i) {
            if (done[i])
                continue;
            const bool ready = std::all_of(steps[i].dependsOn.cbegin(), steps[i].dependsOn.cend(),
                                           [&](const QString &d) { return placed.contains(d) || !keys.contains(d); });
            if (ready) {
                done[i] = true;
                placed.insert(steps[i].key);
                order.append(&steps[i]);
                progressed = true;
                break;
            }
        }
        if (!progressed) {
            QStringList cycle;
            for (qsizetype i = 0; i < steps.size(); ++i)
                if (!done[i])
                    cycle.append(u"\"%1\""_s.arg(steps[i].key));
            if (error)
                *error = u"steps %1 depend on each other (a depends_on cycle)"_s.arg(cycle.join(u", "_s));
            return std::nullopt;
        }
    }
    return order;
}

} // namespace invoke::engine
