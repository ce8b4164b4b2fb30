// End to end: invoke-cli datasets import, show and search (app/cli/datasets/) as a user
// meets them: a CSV with bad rows is refused whole, each row by line, nothing written;
// fixed, it is imported into the datasets folder; a second import of the slug needs
// --force; show prints the first rows as the file holds them; search --json prints what
// memory.search outputs in a run of a bot over the same dataset, with its default limit.
#include "tests/support/cliprocess.h"
#include "tests/support/jsontext.h"
#include "tests/support/serverprocess.h"

#include "core/model/json/json.h"

#include <QtCore/QDir>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace invoke;
using namespace invoke::test;

class TstCliDatasetTools : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_home;
    QString m_folder;

    CliRun run(const QStringList &args)
    {
        return runProcess(cliProgram(), args, ServerProcess::scratchEnvironment(m_home.path()), m_home.path());
    }
    QStringList inFolder() const { return {u"--datasets-dir"_s, m_folder}; }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_home.isValid());
        m_folder = m_home.filePath(u"mine"_s);
        QDir().mkpath(m_folder);
        QVERIFY2(QFileInfo(cliProgram()).isExecutable(), "build invoke-cli first");
    }

    void importRefusesEveryBadRowAndWritesNothing()
    {
        const QString file = writeFile(m_home.filePath(u"ships.csv"_s),
                                       "ship,fact\nEndurance,crushed by pack ice in 1915\nFram,\"drifted, frozen in\",x\n"
                                       "Terra Nova,caf\xe9 au lait\nDiscovery,wintered at Hut Point\n");
        const CliRun r = run(QStringList{u"datasets"_s, u"import"_s, file, u"--slug"_s, u"ships"_s} + inFolder());
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(r.err, file + u":3: 3 fields where the header has 2\n"_s + file
                     + u":4: the line is not UTF-8 text\nnothing was imported: 2 row(s) of "_s + file
                     + u" do not read\n"_s);
        QVERIFY(QDir(m_folder).isEmpty());
    }

    void importWritesTheFixedFileAndRefusesToReplaceWithoutForce()
    {
        QByteArray csv = "ship,fact\nEndurance,crushed by pack ice in 1915\nFram,\"drifted, frozen in the ice\"\n"
                         "Terra Nova,reached the ice shelf\nDiscovery,wintered at Hut Point\n";
        for (int i = 1; i <= 14; ++i)
            csv += "Tender " + QByteArray::number(i) + ",carried coal to the ice edge\n";
        const QString file = writeFile(m_home.filePath(u"ships.csv"_s), csv);
        const QStringList import{u"datasets"_s, u"import"_s, file, u"--slug"_s, u"ships"_s};
        CliRun r = run(import + inFolder());
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QString written = m_folder + u"/ships.csv"_s;
        QCOMPARE(r.out, u"Imported 18 rows into the dataset \"ships\": %1\n"_s.arg(written));
        QFile f(written);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), csv);
        f.close();

        r = run(import + inFolder());
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(u"already holds the dataset \"ships\""_s) && r.err.contains(u"--force"_s), qPrintable(r.err));

        // --force replaces it, here with a JSON Lines file of the same slug.
        const QString jsonl = writeFile(m_home.filePath(u"ships.jsonl"_s), "{\"text\": \"Nimrod carried Shackleton\"}\n");
        r = run(QStringList{u"datasets"_s, u"import"_s, jsonl, u"--slug"_s, u"ships"_s, u"--force"_s} + inFolder());
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(!QFileInfo::exists(written));
        QVERIFY(QFileInfo::exists(m_folder + u"/ships.jsonl"_s));
        r = run(QStringList{u"datasets"_s, u"show"_s, u"ships"_s, u"--json"_s} + inFolder());
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(parseJson(r.out.toUtf8()) == (Json{{"slug", "ships"}, {"columns", {"text"}}, {"rows", {{"Nimrod carried Shackleton"}}}}),
                 qPrintable(r.out));
        // Back to the CSV for the tests below.
        r = run(import + inFolder() + QStringList{u"--force"_s});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(!QFileInfo::exists(m_folder + u"/ships.jsonl"_s));

        r = run({u"datasets"_s, u"import"_s, file, u"--slug"_s, u"Ships!"_s});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"\"ships\" would be"_s), qPrintable(r.err));
    }

    void showPrintsTheFirstRows()
    {
        CliRun r = run(QStringList{u"datasets"_s, u"show"_s, u"ships"_s, u"--json"_s} + inFolder());
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const Json shown = parseJson(r.out.toUtf8());
        QVERIFY(shown["slug"] == Json("ships"));
        QVERIFY(shown["columns"] == (Json{"ship", "fact"}));
        QCOMPARE(shown["rows"].size(), size_t(18)); // all of them: fewer than the default 20
        QVERIFY(shown["rows"][1] == (Json{"Fram", "drifted, frozen in the ice"}));

        r = run(QStringList{u"datasets"_s, u"show"_s, u"ships"_s, u"--limit"_s, u"2"_s} + inFolder());
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(r.out.split(u'\n', Qt::SkipEmptyParts).size(), 3);
        QVERIFY2(r.out.startsWith(u"ship"_s) && r.out.contains(u"Fram       drifted, frozen in the ice"_s), qPrintable(r.out));

        r = run(QStringList{u"datasets"_s, u"show"_s, u"nope"_s} + inFolder());
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(r.err, u"unknown dataset \"nope\"\n"_s);
    }

    void searchAnswersWhatMemorySearchGivesARun()
    {
        CliRun r = run(QStringList{u"datasets"_s, u"search"_s, u"ships"_s, u"ice edge coal"_s, u"--json"_s} + inFolder());
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const Json cli = parseJson(r.out.toUtf8());
        QVERIFY2(cli["memories"].size() == 10, qPrintable(r.out)); // memory.search's default limit
        QVERIFY(cli["memories"][0]["dataset"] == Json("ships"));

        // A bot whose only step is memory.search, run live (it needs no LLM).
        writeFile(m_home.filePath(u"finder/finder.bot.json"_s),
                  "{\"bot\": {\"key\": \"finder\"}, \"steps\": [{\"key\": \"search\", \"action_type\": "
                  "\"memory.search\", \"parameters\": {\"query\": \"{{query}}\"}}]}");
        r = run(QStringList{u"invoke"_s, u"finder"_s, u"--bots-dir"_s, m_home.filePath(u"finder"_s), u"-m"_s,
                            u"ice edge coal"_s, u"-d"_s, u"ships"_s, u"--format"_s, u"events"_s}
                + inFolder());
        QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
        Json output;
        const Json document = parseJson(r.out.toUtf8());
        for (const Json &event : document["events"]) {
            const Json &payload = event.value("payload", Json());
            if (payload.is_object() && stringField(event, "type") == u"step_finished"_s
                && stringField(event.value("metadata", Json::object()), "path") == u"search"_s)
                output = payload["result"]["output"];
        }
        QVERIFY2(output == cli, qPrintable(jsonText(output)));

        r = run(QStringList{u"datasets"_s, u"search"_s, u"ships"_s, u"pack ice"_s, u"--limit"_s, u"1"_s} + inFolder());
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.startsWith(u"SCORE"_s) && r.out.contains(u"ships.csv:2"_s), qPrintable(r.out));
        QCOMPARE(r.out.split(u'\n', Qt::SkipEmptyParts).size(), 2);

        r = run(QStringList{u"datasets"_s, u"search"_s, u"ships"_s, u"ice"_s, u"--limit"_s, u"1001"_s} + inFolder());
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"--limit must be a whole number from 1 to 1000"_s), qPrintable(r.err));
        r = run(QStringList{u"datasets"_s, u"search"_s, u"wrecks"_s, u"ice"_s} + inFolder());
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.startsWith(u"memory.search: unknown dataset \"wrecks\""_s), qPrintable(r.err));
    }

    void badHeadersAndRowsAreNamedByFileAndLine()
    {
        // Import: a header that names a column twice, or leaves one unnamed.
        QVERIFY(QDir().mkpath(m_home.filePath(u"never"_s)));
        for (const auto &[bytes, reason] :
             {std::pair{QByteArray("name,city,name\nAda,London,x\n"),
                        u":1: the header names column \"name\" twice (columns 1 and 3)\n"_s},
              std::pair{QByteArray("name,,city\nAda,x,London\n"), u":1: column 2 of the header has no name\n"_s}}) {
            const QString file = writeFile(m_home.filePath(u"header.csv"_s), bytes);
            const CliRun r = run({u"datasets"_s, u"import"_s, file, u"--slug"_s, u"header"_s, u"--datasets-dir"_s,
                                  m_home.filePath(u"never"_s)});
            QCOMPARE(r.exitCode, 1);
            QVERIFY2(r.err.startsWith(file + reason), qPrintable(r.err));
            QVERIFY(QDir(m_home.filePath(u"never"_s)).isEmpty());
        }
        // Search: a dataset whose only file does not read says which line, and why.
        const QString folder = m_home.filePath(u"broken"_s);
        writeFile(folder + u"/ragged.csv"_s, "a,b\n1,2\n3,4,5\n");
        writeFile(folder + u"/latin.csv"_s, "a,b\n1,caf\xe9\n");
        CliRun r = run({u"datasets"_s, u"search"_s, u"ragged"_s, u"x"_s, u"--datasets-dir"_s, folder});
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(r.err, u"memory.search: dataset \"ragged\" could not be read: %1/ragged.csv:3: 3 fields where the "
                        "header has 2\n"_s.arg(folder));
        r = run({u"datasets"_s, u"search"_s, u"latin"_s, u"x"_s, u"--datasets-dir"_s, folder});
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(r.err, u"memory.search: dataset \"latin\" could not be read: %1/latin.csv:2: the file is not UTF-8 "
                        "text\n"_s.arg(folder));
    }

    void searchOnAServerAnswersAsHere()
    {
        // Imported into the user's datasets folder, which the server here reads too.
        const QString file = writeFile(m_home.filePath(u"fleet.csv"_s),
                                       "ship,fact\nEndurance,crushed by pack ice\nFram,frozen in the ice & drifted\n"
                                       "Nimrod,reached the Ross ice shelf\nBelgica,wintered in the Antarctic\n");
        CliRun r = run({u"datasets"_s, u"import"_s, file, u"--slug"_s, u"fleet"_s});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QString tokens = writeFile(m_home.filePath(u"tokens.txt"_s), "cli-search-token-0123456789 acme\n");
        ServerProcess server({u"--tokens"_s, tokens, u"--cache"_s, m_home.filePath(u"server-cache.sqlite"_s)},
                             ServerProcess::scratchEnvironment(m_home.path()));
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        QProcessEnvironment withToken = ServerProcess::scratchEnvironment(m_home.path());
        withToken.insert(u"INVOKE_AUTH_TOKEN"_s, u"cli-search-token-0123456789"_s);
        const QString endpoint = server.url({}).toString();
        const auto onServer = [&](const QStringList &args) {
            return runProcess(cliProgram(), QStringList{u"datasets"_s, u"search"_s} + args
                                                + QStringList{u"--endpoint"_s, endpoint},
                              withToken, m_home.path());
        };
        for (const QStringList &args : {QStringList{u"fleet"_s, u"ice & drifted"_s, u"--json"_s},
                                        QStringList{u"fleet"_s, u"ice"_s, u"--limit"_s, u"2"_s, u"--json"_s},
                                        QStringList{u"fleet"_s, u"Ross"_s}}) {
            const CliRun here = run(QStringList{u"datasets"_s, u"search"_s} + args);
            QVERIFY2(here.exitCode == 0, qPrintable(here.err));
            const CliRun there = onServer(args);
            QVERIFY2(there.exitCode == 0, qPrintable(there.err));
            QCOMPARE(there.out, here.out);
        }
        r = onServer({u"wrecks"_s, u"ice"_s});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.startsWith(u"memory.search: unknown dataset \"wrecks\""_s), qPrintable(r.err));
        // The server has its own folders.
        r = onServer({u"fleet"_s, u"ice"_s, u"--datasets-dir"_s, m_folder});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"a server has its own"_s), qPrintable(r.err));
        // A token the server does not know: said, and the token never printed.
        withToken.insert(u"INVOKE_AUTH_TOKEN"_s, u"wrong-token-0123456789"_s);
        r = onServer({u"fleet"_s, u"ice"_s});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(u"the token is missing or rejected"_s) && !r.err.contains(u"wrong-token"_s),
                 qPrintable(r.err));
        QCOMPARE(server.terminate(), 0);
    }

    void aLargeDatasetSaysItIsIndexing()
    {
        // 16 MB and more, read by a pipe: one line before the wait, then the answer.
        const QString big = m_home.filePath(u"big"_s);
        QByteArray row = ",a row long enough that a hundred thousand of them make a large file for the index\n";
        QByteArray csv = "id,text\n";
        csv.reserve(18 << 20);
        for (int i = 0; csv.size() < (17 << 20); ++i)
            csv += QByteArray::number(i) + (i % 1000 == 0 ? ",needle " + row.mid(1) : row);
        writeFile(big + u"/huge.csv"_s, csv);
        CliRun r = run({u"datasets"_s, u"search"_s, u"huge"_s, u"needle"_s, u"--limit"_s, u"3"_s, u"--datasets-dir"_s, big});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(r.err, u"indexing the dataset \"huge\" (17 MB) before the search...\n"_s);
        QCOMPARE(r.out.split(u'\n', Qt::SkipEmptyParts).size(), 4);
        // Indexed once: nothing to say the next time.
        r = run({u"datasets"_s, u"search"_s, u"huge"_s, u"needle"_s, u"--datasets-dir"_s, big});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(r.err, QString());
    }
};

QTEST_GUILESS_MAIN(TstCliDatasetTools)
#include "tst_cli_datasettools.moc"
