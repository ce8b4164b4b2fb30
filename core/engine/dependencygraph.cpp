#include "core/engine/dependencygraph.h"

#include <functional>

using namespace Qt::StringLiterals;

namespace invoke::engine {

void DependencyGraph::addStep(const QString &key, const JsonPath &at)
{
    m_stepAt.insert(key, at);
    m_order.append(key);
}

void DependencyGraph::addDependency(const QString &step, const QString &on, const JsonPath &at)
{
    m_dependencies[step].append({on, at});
}

std::optional<DependencyGraph::Problem> DependencyGraph::check() const
{
    for (const QString &key : std::as_const(m_order))
        for (const Dependency &dep : m_dependencies.value(key))
            if (!m_stepAt.contains(dep.key))
                return Problem{dep.at, u"step \"%1\" depends on unknown step \"%2\""_s.arg(key, dep.key)};

    // Depth-first, in file order, so the cycle reported is always the same one.
    enum State { Unvisited, OnStack, Done };
    QHash<QString, State> state;
    QStringList stack;
    QStringList cycle;
    std::function<bool(const QString &)> visit = [&](const QString &key) {
        state[key] = OnStack;
        stack.append(key);
        for (const Dependency &dep : m_dependencies.value(key)) {
            const State s = state.value(dep.key, Unvisited);
            if (s == OnStack) {
                cycle = stack.mid(stack.indexOf(dep.key));
                cycle.append(dep.key);
                return false;
            }
            if (s == Unvisited && !visit(dep.key))
                return false;
        }
        stack.removeLast();
        state[key] = Done;
        return true;
    };
    for (const QString &key : std::as_const(m_order)) {
        if (state.value(key, Unvisited) == Unvisited && !visit(key))
            return Problem{m_stepAt.value(cycle.first()), u"dependency cycle: "_s + cycle.join(u" -> "_s)};
    }
    return std::nullopt;
}

} // namespace invoke::engine
