// The bot catalog over real folders: good and bad files side by side, a later folder
// overriding an earlier one, the bundled examples compiled in as resources, and index():
// a command about one bot parses that bot and its sub-bots only, with the same winner
// and the same reason for a bot that did not load.
#include "core/config/paths.h"
#include "core/engine/botcatalog.h"
#include "core/engine/botplanner.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtCore/QFloat16> // complete, so QCOMPARE on Json can rule its overload out
#include <QtTest/QTest>

// QCOMPARE prints Json values as their compact text.
namespace nlohmann {
inline char *toString(const json &value)
{
    return qstrdup(value.dump(-1, ' ', false, json::error_handler_t::replace).c_str());
}
} // namespace nlohmann

namespace invoke {
inline char *toString(const LoadProblem &problem)
{
    return qstrdup(problem.toString().toUtf8().constData());
}
} // namespace invoke

using namespace Qt::StringLiterals;
using namespace invoke;
using namespace invoke::engine;

namespace {

QString writeFile(const QString &folder, const QString &name, const QByteArray &bytes)
{
    QDir().mkpath(folder);
    const QString path = folder + u'/' + name;
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

QByteArray botFile(const char *key, const char *name)
{
    return "{\n  \"bot\": {\"key\": \"" + QByteArray(key) + "\", \"name\": \"" + QByteArray(name)
        + "\"},\n  \"steps\": [{\"key\": \"s\", \"action_type\": \"utils.echo\"}]\n}\n";
}

QStringList keys(const BotCatalog &catalog)
{
    QStringList keys;
    for (const auto &bot : catalog.bots())
        keys.append(bot->info.key);
    return keys;
}

} // namespace

class TestBotCatalog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void loadsGoodFilesAndReportsBadOnes();
    void laterFolderOverrides();
    void indexParsesOnlyWhatIsAsked();
    void reportsAMissingFolder();
    void bundledExamplesComeFromResources();
    void defaultFolders();
};

void TestBotCatalog::loadsGoodFilesAndReportsBadOnes()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString folder = dir.filePath(u"bots"_s);
    writeFile(folder, u"b-second.bot.json"_s, botFile("second", "Second"));
    writeFile(folder, u"a-first.bot.json"_s, botFile("first", "First"));
    const QString broken = writeFile(folder, u"broken.bot.json"_s, "{\n  \"bot\" {\"key\": \"x\"}\n}");
    const QString noSteps = writeFile(folder, u"nosteps.bot.json"_s, "{\"bot\": {\"key\": \"n\"}}");
    writeFile(folder, u"notes.json"_s, "not a bot, not even JSON");
    writeFile(folder + u"/nested"_s, u"deep.bot.json"_s, botFile("deep", "Deep"));
    const QString withMtime = writeFile(folder, u"c-third.bot.json"_s, botFile("third", "Third"));
    const QDateTime mtime(QDate(2023, 1, 2), QTime(3, 4, 5), Qt::UTC);
    {
        QFile file(withMtime);
        QVERIFY(file.open(QIODevice::ReadWrite));
        QVERIFY(file.setFileTime(mtime, QFileDevice::FileModificationTime));
    }

    BotCatalog catalog;
    catalog.load({folder});
    QCOMPARE(keys(catalog), (QStringList{u"first"_s, u"second"_s, u"third"_s}));
    const QList<LoadProblem> expected{
        {broken, 2, u"invalid JSON at column 9: syntax error while parsing object separator - "
                    "unexpected '{'; expected ':'"_s},
        {noSteps, 1, u"missing \"steps\": a bot needs at least one step"_s},
    };
    QCOMPARE(catalog.problems(), expected);

    const BotDefinition *third = catalog.find(u"third"_s);
    QVERIFY(third);
    QCOMPARE(third->info.updatedAt, mtime);
    QCOMPARE(third->info.sourceFile, withMtime);
    QCOMPARE(catalog.find(u"nope"_s), nullptr);

    const QList<BotInfo> infos = catalog.infos();
    QCOMPARE(infos.size(), 3);
    QCOMPARE(infos[1].displayName(), u"Second"_s);
    QCOMPARE(infos[1], catalog.bots()[1]->info);

    // Loading again starts afresh.
    catalog.load({});
    QVERIFY(catalog.bots().isEmpty());
    QVERIFY(catalog.problems().isEmpty());
}

void TestBotCatalog::laterFolderOverrides()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString bundled = dir.filePath(u"bundled"_s);
    const QString user = dir.filePath(u"user"_s);
    const QString shadowed = writeFile(bundled, u"helper.bot.json"_s, botFile("helper", "Bundled helper"));
    writeFile(bundled, u"other.bot.json"_s, botFile("other", "Other"));
    const QString winner = writeFile(user, u"my-helper.bot.json"_s, botFile("helper", "My helper"));
    writeFile(user, u"mine.bot.json"_s, botFile("mine", "Mine"));

    BotCatalog catalog;
    catalog.load({bundled, user});
    // The override takes the place of the bot it replaces.
    QCOMPARE(keys(catalog), (QStringList{u"helper"_s, u"other"_s, u"mine"_s}));
    QCOMPARE(catalog.find(u"helper"_s)->info.name, u"My helper"_s);
    QCOMPARE(catalog.find(u"helper"_s)->info.sourceFile, winner);
    const QList<LoadProblem> expected{
        {winner, 2, u"overrides the bot of the same key in "_s + shadowed}};
    QCOMPARE(catalog.problems(), expected);

    // The other way round, the bundled one wins.
    catalog.load({user, bundled});
    QCOMPARE(catalog.find(u"helper"_s)->info.name, u"Bundled helper"_s);
    QCOMPARE(catalog.problems().size(), 1);
    QCOMPARE(catalog.problems()[0].file, shadowed);
}

void TestBotCatalog::indexParsesOnlyWhatIsAsked()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString first = dir.filePath(u"first"_s);
    const QString second = dir.filePath(u"second"_s);
    // "main" calls "helper" as a sub-bot; "big" and "other" are never asked for.
    writeFile(first, u"main.bot.json"_s,
              "{\"steps\": [{\"key\": \"call\", \"action_type\": \"bot.invoke\", "
              "\"parameters\": {\"bot_key\": \"helper\"}}],\n \"bot\": {\"key\": \"main\"}}");
    writeFile(first, u"helper.bot.json"_s, botFile("helper", "Helper"));
    writeFile(first, u"big.bot.json"_s, botFile("big", "Big"));
    // An escaped key and a BOM, read by the scan as the parse reads them.
    writeFile(first, u"escaped.bot.json"_s, "\xEF\xBB\xBF" + botFile("esc\\u0061ped", "Escaped"));
    // Two files of key "dup": the later folder's does not parse, so the earlier one stays.
    writeFile(first, u"dup.bot.json"_s, botFile("dup", "Good dup"));
    const QString brokenDup = writeFile(second, u"dup.bot.json"_s,
                                        "{\"bot\": {\"key\": \"dup\"},\n \"steps\": 5}");
    // Two good files of key "twice": the later folder's wins.
    writeFile(first, u"twice.bot.json"_s, botFile("twice", "First twice"));
    writeFile(second, u"twice.bot.json"_s, botFile("twice", "Second twice"));
    // Broken beyond a key: asked for by its file name, the reason is the full load's.
    writeFile(second, u"broken.bot.json"_s, "{ \"bot\": ");
    const QStringList folders{first, second};

    BotCatalog full;
    full.load(folders);
    BotCatalog lazy;
    lazy.index(folders);
    QVERIFY(lazy.bots().isEmpty());
    QVERIFY(lazy.problems().isEmpty());

    const BotDefinition *main = lazy.find(u"main"_s);
    QVERIFY(main);
    QCOMPARE(keys(lazy), QStringList{u"main"_s});
    QVERIFY(botPlan(*main, lazy) == botPlan(*full.find(u"main"_s), full)); // the sub-bot is found
    QCOMPARE(keys(lazy), (QStringList{u"main"_s, u"helper"_s}));
    QCOMPARE(lazy.find(u"escaped"_s)->info.name, u"Escaped"_s);
    QCOMPARE(lazy.find(u"twice"_s)->info.name, u"Second twice"_s);
    QCOMPARE(lazy.find(u"twice"_s)->info.name, full.find(u"twice"_s)->info.name);
    QCOMPARE(lazy.find(u"dup"_s)->info.name, u"Good dup"_s);
    QCOMPARE(lazy.find(u"dup"_s)->info.name, full.find(u"dup"_s)->info.name);
    QVERIFY(std::any_of(lazy.problems().cbegin(), lazy.problems().cend(),
                        [&](const LoadProblem &p) { return p.file == brokenDup; }));

    QVERIFY(!lazy.find(u"broken"_s));
    QVERIFY(!lazy.find(u"nothing"_s));
    QCOMPARE(missingBotReason(lazy, u"broken"_s), missingBotReason(full, u"broken"_s));
    QVERIFY(missingBotReason(lazy, u"broken"_s).contains(u"broken.bot.json:"_s));
    QCOMPARE(missingBotReason(lazy, u"nothing"_s), u"bot \"nothing\" not found"_s);

    // From a cache: the parsed bot is shared, a scanned-only file is parsed when asked.
    BotFileCache cache;
    BotCatalog warm;
    warm.load(folders, &cache);
    BotCatalog fromCache;
    fromCache.index(folders, &cache);
    QCOMPARE(fromCache.find(u"main"_s), warm.find(u"main"_s));
    BotFileCache scanned;
    BotCatalog cold;
    cold.index(folders, &scanned);
    QVERIFY(cold.find(u"helper"_s));
    BotCatalog again;
    again.index(folders, &scanned);
    QCOMPARE(again.find(u"helper"_s), cold.find(u"helper"_s));
    QCOMPARE(again.find(u"big"_s)->info.name, u"Big"_s);
}

void TestBotCatalog::reportsAMissingFolder()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString missing = dir.filePath(u"no-such-folder"_s);
    const QString present = dir.filePath(u"present"_s);
    writeFile(present, u"a.bot.json"_s, botFile("a", "A"));

    BotCatalog catalog;
    catalog.load({missing, present});
    QCOMPARE(keys(catalog), QStringList{u"a"_s});
    const QList<LoadProblem> expected{{missing, 0, u"the bots folder does not exist"_s}};
    QCOMPARE(catalog.problems(), expected);
}

void TestBotCatalog::bundledExamplesComeFromResources()
{
    BotCatalog catalog;
    catalog.load({u":/bots"_s});
    for (const LoadProblem &problem : catalog.problems())
        qWarning("%s", qPrintable(problem.toString()));
    QVERIFY(catalog.problems().isEmpty());

    const BotDefinition *chat = catalog.find(u"chat"_s);
    QVERIFY(chat);
    QCOMPARE(chat->info.sourceFile, u":/bots/chat.bot.json"_s);
    QVERIFY(chat->info.updatedAt.isValid());
    QCOMPARE(chat->steps.size(), 1);
    QCOMPARE(chat->steps[0].key, u"answer"_s);
    QCOMPARE(chat->steps[0].actionType, u"llm.message"_s);
    // The example's prompt may change; its shape is what the catalog must keep.
    QVERIFY(chat->steps[0].parameters.is_object() && !chat->steps[0].parameters.empty());
    QVERIFY(!chat->info.parameters.isEmpty());
    QCOMPARE(chat->info.parameters[0].key, u"system_prompt"_s);

    // Every bundled example is there, and loads.
    const QStringList files = QDir(u":/bots"_s).entryList({u"*.bot.json"_s}, QDir::Files);
    QCOMPARE(catalog.bots().size(), files.size());
}

void TestBotCatalog::defaultFolders()
{
    const QStringList folders = BotCatalog::defaultFolders({u"/extra/one"_s, u"/extra/two"_s});
    const QStringList expected{u":/bots"_s, paths::userBots(), u"/extra/one"_s, u"/extra/two"_s};
    QCOMPARE(folders, expected);
    QVERIFY(folders[1].contains(u"qttest"_s)); // test mode: never the real user's folder
    QVERIFY(QDir(folders[1]).exists());
    QCOMPARE(BotCatalog::defaultFolders().size(), 2);
}

QTEST_GUILESS_MAIN(TestBotCatalog)
#include "tst_botcatalog.moc"
