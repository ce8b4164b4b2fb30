#pragma once
// The depends_on graph of one bot file's steps (handler steps included), filled while
// the file is parsed (botdefinition.cpp), and its check once every step is known: each
// dependency names a step of the bot, and no dependencies form a cycle.
#include "core/model/json/jsonlocator.h"

#include <QtCore/QHash>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <optional>

namespace invoke::engine {

class DependencyGraph
{
public:
    // `at`: where the step is in the file, for messages.
    void addStep(const QString &key, const JsonPath &at);
    bool contains(const QString &key) const { return m_stepAt.contains(key); }
    JsonPath stepAt(const QString &key) const { return m_stepAt.value(key); }
    // `step` depends on `on`, written at `at`.
    void addDependency(const QString &step, const QString &on, const JsonPath &at);

    struct Problem
    {
        JsonPath at;
        QString reason;
    };
    // The first problem in file order (always the same one for the same file), or none.
    std::optional<Problem> check() const;

private:
    struct Dependency
    {
        QString key;
        JsonPath at;
    };

    QStringList m_order; // every step, in file order
    QHash<QString, JsonPath> m_stepAt;
    QHash<QString, QList<Dependency>> m_dependencies;
};

} // namespace invoke::engine
