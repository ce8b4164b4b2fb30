#pragma once
#include "core/engine/botdefinition.h"

namespace invoke::engine {

// Finds and loads every *.bot.json in a list of folders (Qt resource paths such as
// ":/bots" work too). A bad file is reported with its path, line and reason, and the
// others still load. When two folders hold the same key, the later folder wins (so a
// user's bot overrides a bundled example) and the shadowing is reported as a problem.
class BotCatalog
{
public:
    // The bundled examples, then the user's bots folder, then `extraFolders`.
    static QStringList defaultFolders(const QStringList &extraFolders = {});

    void load(const QStringList &folders);

    const QList<BotDefinition> &bots() const { return m_bots; }
    const QList<LoadProblem> &problems() const { return m_problems; }
    const BotDefinition *find(const QString &key) const;
    QList<BotInfo> infos() const;

private:
    QList<BotDefinition> m_bots;
    QList<LoadProblem> m_problems;
};

} // namespace invoke::engine
