#include "core/config/environmentsecret.h"

#include <QtCore/QByteArray>
#include <QtCore/QFile>
#include <QtCore/QHash>
#include <QtCore/QMutex>

#include <cstdlib>
#include <cstring>
#include <unistd.h>

extern char **environ;

namespace invoke {

namespace {

struct Block
{
    quintptr start = 0;
    quintptr end = 0;
};

// The original environment block, fields 50 and 51 (env_start, env_end) of
// /proc/self/stat, counted after the ")" that closes the command name (which may hold
// spaces). Strings set later with setenv live elsewhere and are not shown there.
Block environmentBlock()
{
    QFile stat(QStringLiteral("/proc/self/stat"));
    if (!stat.open(QIODevice::ReadOnly))
        return {};
    const QByteArray text = stat.readAll();
    const qsizetype paren = text.lastIndexOf(')');
    if (paren < 0)
        return {};
    // After ")" comes field 3 (state).
    const QList<QByteArray> fields = text.mid(paren + 2).trimmed().split(' ');
    constexpr int EnvStart = 50 - 3;
    constexpr int EnvEnd = 51 - 3;
    if (fields.size() <= EnvEnd)
        return {};
    return {quintptr(fields[EnvStart].toULongLong()), quintptr(fields[EnvEnd].toULongLong())};
}

void wipe(char *bytes, std::size_t size)
{
    volatile char *p = bytes; // not optimised away
    for (std::size_t i = 0; i < size; ++i)
        p[i] = '\0';
}

QMutex &takenMutex()
{
    static QMutex mutex;
    return mutex;
}

QHash<QByteArray, QString> &taken()
{
    static QHash<QByteArray, QString> values;
    return values;
}

} // namespace

std::optional<QString> takeSecretFromEnvironment(const char *name)
{
    QMutexLocker lock(&takenMutex());
    const QByteArray key(name);
    if (qEnvironmentVariableIsSet(name)) {
        // Set again since the last call (a test does that): the newer value wins.
        taken().insert(key, qEnvironmentVariable(name));
        const Block block = environmentBlock();
        const QByteArray prefix = key + '=';
        for (char **entry = environ; entry && *entry; ++entry) {
            if (std::strncmp(*entry, prefix.constData(), std::size_t(prefix.size())) != 0)
                continue;
            // Only the original block: a setenv copy belongs to glibc, which keeps it in a
            // search tree ordered by its text.
            const auto at = quintptr(*entry);
            if (at >= block.start && at < block.end)
                wipe(*entry + prefix.size(), std::strlen(*entry + prefix.size()));
        }
        qunsetenv(name);
    }
    const auto it = taken().constFind(key);
    if (it == taken().constEnd())
        return std::nullopt;
    return *it;
}

void takeKnownSecretsFromEnvironment()
{
    takeSecretFromEnvironment("INVOKE_LLM_API_KEY");
    takeSecretFromEnvironment("INVOKE_AUTH_TOKEN");
    takeSecretFromEnvironment("INVOKE_CACHE_URL"); // a team cache's URL may hold its password
}

} // namespace invoke
