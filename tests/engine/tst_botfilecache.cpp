// BotCatalog::load with a BotFileCache: the same catalog as without it, a hit shares the
// parsed definition, a file that changed (content and time), broke, was fixed or went
// away is seen at the next load, and backends given one cache (invoke-server's
// organisations) parse each file once between them.
#include "core/backend/localbackend.h"
#include "core/engine/botcatalog.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QTemporaryDir>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace invoke;
using namespace invoke::engine;

namespace {

QByteArray botFile(const char *key, const char *description)
{
    return dumpJson(Json{{"bot", {{"key", key}, {"name", key}, {"description", description}}},
                         {"steps", Json::array({{{"key", "say"}, {"action_type", "utils.echo"},
                                                 {"parameters", {{"data", "hi"}}}}})}},
                    2);
}

// Writes `bytes` and sets the modification time, so that a change is never hidden by a
// coarse file-system clock.
void writeBot(const QString &path, const QByteArray &bytes, const QDateTime &modified)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(file.write(bytes), bytes.size());
    QVERIFY(file.flush()); // written before the time is set, or closing would set it again
    QVERIFY(file.setFileTime(modified, QFileDevice::FileModificationTime));
}

QString describe(const BotCatalog &catalog)
{
    QStringList lines;
    for (const auto &bot : catalog.bots())
        lines.append(bot->info.key + u": "_s + bot->info.description + u" @"_s + bot->info.updatedAtText());
    for (const LoadProblem &problem : catalog.problems())
        lines.append(u"problem "_s + problem.toString());
    return lines.join(u'\n');
}

} // namespace

class TstBotFileCache : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sameCatalogAsWithoutCache();
    void changesAreSeen();
    void sharedBetweenBackends();
};

void TstBotFileCache::sameCatalogAsWithoutCache()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QDateTime t0 = QDateTime(QDate(2026, 1, 2), QTime(3, 4, 5), Qt::UTC);
    writeBot(dir.filePath(u"a.bot.json"_s), botFile("a", "first"), t0);
    writeBot(dir.filePath(u"b.bot.json"_s), "{ \"bot\": ", t0); // broken
    const QStringList folders{u":/bots"_s, dir.path(), dir.filePath(u"missing"_s)};

    BotCatalog plain;
    plain.load(folders);
    BotFileCache cache;
    BotCatalog first;
    first.load(folders, &cache);
    BotCatalog second; // answered from the cache
    second.load(folders, &cache);
    QVERIFY(plain.bots().size() >= 5); // the bundled examples and "a"
    QCOMPARE(describe(first), describe(plain));
    QCOMPARE(describe(second), describe(plain));
    QVERIFY(describe(second).contains(u"b.bot.json:"_s));
    QCOMPARE(second.find(u"a"_s)->steps.size(), plain.find(u"a"_s)->steps.size());
    QCOMPARE(second.find(u"a"_s), first.find(u"a"_s)); // shared, not parsed or copied again
    QVERIFY(second.find(u"a"_s) != plain.find(u"a"_s));
}

void TstBotFileCache::changesAreSeen()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString a = dir.filePath(u"a.bot.json"_s);
    const QString b = dir.filePath(u"b.bot.json"_s);
    const QDateTime t0 = QDateTime(QDate(2026, 1, 2), QTime(3, 4, 5), Qt::UTC);
    writeBot(a, botFile("a", "first"), t0);
    writeBot(b, "{ \"bot\": ", t0);
    BotFileCache cache;
    auto load = [&] {
        BotCatalog catalog;
        catalog.load({dir.path()}, &cache);
        return describe(catalog);
    };
    for (int round = 0; round < 2; ++round) { // parsed, then from the cache
        const QString loaded = load();
        QVERIFY2(loaded.startsWith(u"a: first @2026-01-02T03:04:05.000Z\nproblem "_s + b + u':'), qPrintable(loaded));
    }

    // Same size, new content and time: the new description.
    writeBot(a, botFile("a", "other"), t0.addSecs(60));
    QVERIFY2(load().startsWith(u"a: other @2026-01-02T03:05:05.000Z"_s), qPrintable(load()));

    // The broken file fixed, then a file removed.
    writeBot(b, botFile("b", "fixed"), t0);
    QCOMPARE(load(), u"a: other @2026-01-02T03:05:05.000Z\nb: fixed @2026-01-02T03:04:05.000Z"_s);
    QVERIFY(QFile::remove(a));
    QCOMPARE(load(), u"b: fixed @2026-01-02T03:04:05.000Z"_s);
}

void TstBotFileCache::sharedBetweenBackends()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString a = dir.filePath(u"bots/a.bot.json"_s);
    QVERIFY(QDir().mkpath(dir.filePath(u"bots"_s)));
    const QDateTime t0 = QDateTime(QDate(2026, 1, 2), QTime(3, 4, 5), Qt::UTC);
    writeBot(a, botFile("a", "first"), t0);

    LocalBackendOptions options;
    options.botFolders = {dir.filePath(u"bots"_s)};
    options.replayCacheFile = dir.filePath(u"replay.sqlite"_s);
    options.datasetFolders = {dir.filePath(u"datasets"_s)};
    options.datasetIndexFile = dir.filePath(u"datasets.sqlite"_s);
    options.botFiles = std::make_shared<BotFileCache>();
    options.cacheScope = u"org:acme"_s;
    LocalBackend acme(options);
    LocalBackendOptions betaOptions = options;
    betaOptions.cacheScope = u"org:beta"_s;
    LocalBackend beta(betaOptions);
    LocalBackendOptions ownOptions = options;
    ownOptions.botFiles = nullptr; // a backend of its own
    LocalBackend own(ownOptions);

    auto descriptionOf = [](LocalBackend &backend) {
        QString description = u"(no answer)"_s;
        bool answered = false;
        QObject context;
        backend.listBots(&context, [&](const BotListing &listing) {
            answered = true;
            for (const BotInfo &bot : listing.bots)
                if (bot.key == u"a"_s)
                    description = bot.description;
        });
        [&] { QTRY_VERIFY_WITH_TIMEOUT(answered, 30000); }();
        return description;
    };
    QCOMPARE(descriptionOf(acme), u"first"_s);

    // New content of the same size and time: a cache serves the parse it holds. The
    // organisation that shares acme's cache gets acme's parse; a backend of its own
    // parses the file it sees.
    writeBot(a, botFile("a", "other"), t0);
    QCOMPARE(descriptionOf(beta), u"first"_s);
    QCOMPARE(descriptionOf(own), u"other"_s);

    // A real change (a new time) is seen by every backend sharing the cache.
    writeBot(a, botFile("a", "third"), t0.addSecs(60));
    QCOMPARE(descriptionOf(beta), u"third"_s);
    QCOMPARE(descriptionOf(acme), u"third"_s);
}

QTEST_GUILESS_MAIN(TstBotFileCache)
#include "tst_botfilecache.moc"
