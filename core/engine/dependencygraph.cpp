#include "core/engine/dependencygraph.h"

#include <vector>

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

    // Depth-first, in file order, so the cycle reported is always the same one. With
    // its own stack: a chain of 100,000 steps is as deep as the walk goes.
    enum State { Unvisited, OnStack, Done };
    QHash<QString, State> state;
    state.reserve(m_order.size());
    struct Frame
    {
        QString key;
        const QList<Dependency> *dependencies;
        qsizetype next = 0;
    };
    static const QList<Dependency> none;
    std::vector<Frame> stack;
    QHash<QString, qsizetype> depthOf; // where each key on the stack is, for the cycle's start
    auto push = [&](const QString &key) {
        state[key] = OnStack;
        depthOf.insert(key, qsizetype(stack.size()));
        const auto deps = m_dependencies.constFind(key);
        stack.push_back({key, deps == m_dependencies.cend() ? &none : &*deps, 0});
    };
    for (const QString &root : std::as_const(m_order)) {
        if (state.value(root, Unvisited) != Unvisited)
            continue;
        push(root);
        while (!stack.empty()) {
            Frame &top = stack.back();
            if (top.next == top.dependencies->size()) {
                state[top.key] = Done;
                depthOf.remove(top.key);
                stack.pop_back();
                continue;
            }
            const QString &on = (*top.dependencies)[top.next++].key;
            const State s = state.value(on, Unvisited);
            if (s == OnStack) {
                QStringList cycle;
                for (size_t i = size_t(depthOf.value(on)); i < stack.size(); ++i)
                    cycle.append(stack[i].key);
                cycle.append(on);
                return Problem{m_stepAt.value(cycle.first()), u"dependency cycle: "_s + cycle.join(u" -> "_s)};
            }
            if (s == Unvisited)
                push(on);
        }
    }
    return std::nullopt;
}

} // namespace invoke::engine
