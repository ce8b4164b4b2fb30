#include "app/cli/cache/cachetransfer.h"

#include "app/cli/cache/cachechoice.h"
#include "app/cli/cliarguments.h"
#include "app/cli/console.h"
#include "core/cache/cacheurl.h"
#include "core/cache/replaycache.h"
#include "core/config/environmentsecret.h"
#include "core/model/redaction.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QSaveFile>

using namespace Qt::StringLiterals;

namespace invoke::cli {

namespace {

constexpr int ImportBatch = 1000; // entries per insert (one transaction each)

int failed(const QString &error)
{
    printErr(u"error: "_s + error + u'\n');
    return ExitFailed;
}

// The secrets this process knows: masked wherever they appear, beside the patterns
// core/model/redaction.h recognises on its own.
QStringList knownSecrets()
{
    QStringList secrets;
    for (const char *name : {"INVOKE_LLM_API_KEY", "INVOKE_AUTH_TOKEN"})
        if (const auto value = takeSecretFromEnvironment(name))
            secrets.append(*value);
    if (const auto url = takeSecretFromEnvironment("INVOKE_CACHE_URL"))
        if (const auto parsed = cache::CacheUrl::parse(*url); parsed && !parsed->password.isEmpty())
            secrets.append(parsed->password);
    secrets += replayCachePasswords(); // --cache's, or the saved URL's from the keychain
    return secrets;
}

} // namespace

int exportCache(const cache::ReplayCache &cache, const QString &file, const QString &scope)
{
    QString error;
    cache::CacheFilter filter;
    filter.scope = scope;
    const QList<cache::CacheEntry> entries = cache.list(filter, &error);
    if (!error.isEmpty())
        return failed(error);
    const QStringList secrets = knownSecrets();
    QByteArray out;
    qsizetype written = 0, masked = 0;
    QStringList leftOut;
    for (cache::CacheEntry entry : entries) {
        QList<Redaction> found;
        Json parameters = entry.parts.parameters;
        redactJson(parameters, secrets, entry.key.left(12), u"/parameters"_s, &found);
        if (!found.isEmpty()) {
            leftOut.append(u"%1 (%2)"_s.arg(entry.key.left(12), found.first().reason));
            continue;
        }
        redactJson(entry.output, secrets, entry.key.left(12), u"/output"_s, &found);
        masked += found.isEmpty() ? 0 : 1;
        out += dumpJson(entry.toJson());
        out += '\n';
        ++written;
    }
    QSaveFile save(file);
    if (!save.open(QIODevice::WriteOnly) || save.write(out) != out.size() || !save.commit())
        return failed(u"cannot write %1: %2"_s.arg(QDir::toNativeSeparators(file), save.errorString()));
    printErr(u"Exported %1 %2%3 from %4 to %5\n"_s.arg(written)
                 .arg(written == 1 ? u"entry"_s : u"entries"_s,
                      scope.isEmpty() ? QString() : u" of scope "_s + scope, cache.location(),
                      QDir::toNativeSeparators(file)));
    if (masked > 0)
        printErr(u"Masked what looked like a secret in the output of %1 %2.\n"_s.arg(masked).arg(
            masked == 1 ? u"entry"_s : u"entries"_s));
    if (!leftOut.isEmpty())
        printErr(u"Left out %1 %2 whose parameters hold what looks like a secret (masking would change the "
                 "key): %3\n"_s.arg(leftOut.size()).arg(leftOut.size() == 1 ? u"entry"_s : u"entries"_s,
                                                         leftOut.join(u", "_s)));
    return ExitOk;
}

int importCache(cache::ReplayCache &cache, const QString &file, const QString &scope)
{
    const QString shown = QDir::toNativeSeparators(file);
    QFile in(file);
    if (!in.open(QIODevice::ReadOnly))
        return failed(u"cannot read %1: %2"_s.arg(shown, in.errorString()));
    QList<cache::CacheEntry> entries;
    QStringList problems;
    int lineNumber = 0;
    while (!in.atEnd()) {
        const QByteArray line = in.readLine().trimmed();
        ++lineNumber;
        if (line.isEmpty())
            continue;
        QString why;
        const Json value = parseJson(line, &why, kJsonMaxWireDepth);
        std::optional<cache::CacheEntry> entry;
        if (why.isEmpty())
            entry = cache::CacheEntry::fromJson(value, &why);
        if (!entry) {
            if (problems.size() < 20)
                problems.append(u"%1:%2: %3"_s.arg(shown).arg(lineNumber).arg(why));
            else if (problems.size() == 20)
                problems.append(u"(more problems left out)"_s);
            continue;
        }
        if (!scope.isEmpty() && entry->parts.scope != scope) {
            entry->parts.scope = scope; // the scope is part of the key
            entry->key = entry->parts.key();
        }
        entries.append(std::move(*entry));
    }
    if (in.error() != QFileDevice::NoError)
        return failed(u"cannot read %1: %2"_s.arg(shown, in.errorString()));
    if (!problems.isEmpty())
        return failed(u"nothing was imported; fix these lines first:\n  "_s + problems.join(u"\n  "_s));
    for (qsizetype i = 0; i < entries.size(); i += ImportBatch) {
        QString error;
        if (!cache.insert(entries.mid(i, ImportBatch), &error))
            return failed(u"%1 (%2 of %3 entries were imported before this)"_s.arg(error).arg(i).arg(entries.size()));
    }
    printErr(u"Imported %1 %2%3 from %4 to %5\n"_s.arg(entries.size())
                 .arg(entries.size() == 1 ? u"entry"_s : u"entries"_s,
                      scope.isEmpty() ? QString() : u" into scope "_s + scope, shown, cache.location()));
    return ExitOk;
}

} // namespace invoke::cli
