#include "core/engine/steporder.h"

#include <QtCore/QHash>

#include <functional>
#include <queue>
#include <vector>

using namespace Qt::StringLiterals;

namespace invoke::engine {

std::optional<QList<const StepDefinition *>> orderSteps(const QList<StepDefinition> &steps,
                                                        const QSet<QString> &outside, QString *error)
{
    QHash<QString, qsizetype> indexOf;
    indexOf.reserve(steps.size());
    for (qsizetype i = 0; i < steps.size(); ++i)
        indexOf.insert(steps[i].key, i);

    // Kahn's algorithm, always taking the first ready step in file order (a min-heap of
    // indexes), so the order is the same as the obvious scan's, in time of steps plus
    // dependencies (times a log).
    std::vector<int> waitingFor(size_t(steps.size()), 0); // dependencies not yet placed
    std::vector<std::vector<qsizetype>> dependents(size_t(steps.size()));
    for (qsizetype i = 0; i < steps.size(); ++i) {
        for (const QString &dependency : steps[i].dependsOn) {
            const auto on = indexOf.constFind(dependency);
            if (on != indexOf.cend()) {
                ++waitingFor[size_t(i)];
                dependents[size_t(*on)].push_back(i);
            } else if (!outside.contains(dependency)) {
                if (error)
                    *error = u"step \"%1\" depends on unknown step \"%2\""_s.arg(steps[i].key, dependency);
                return std::nullopt;
            }
        }
    }

    std::priority_queue<qsizetype, std::vector<qsizetype>, std::greater<>> ready;
    for (qsizetype i = 0; i < steps.size(); ++i)
        if (waitingFor[size_t(i)] == 0)
            ready.push(i);
    QList<const StepDefinition *> order;
    order.reserve(steps.size());
    std::vector<bool> done(size_t(steps.size()), false);
    while (!ready.empty()) {
        const qsizetype i = ready.top();
        ready.pop();
        done[size_t(i)] = true;
        order.append(&steps[i]);
        for (const qsizetype next : dependents[size_t(i)])
            if (--waitingFor[size_t(next)] == 0)
                ready.push(next);
    }
    if (order.size() < steps.size()) {
        QStringList cycle;
        for (qsizetype i = 0; i < steps.size(); ++i)
            if (!done[size_t(i)])
                cycle.append(u"\"%1\""_s.arg(steps[i].key));
        if (error)
            *error = u"steps %1 depend on each other (a depends_on cycle)"_s.arg(cycle.join(u", "_s));
        return std::nullopt;
    }
    return order;
}

} // namespace invoke::engine
