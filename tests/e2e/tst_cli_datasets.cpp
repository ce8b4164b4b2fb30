// End to end: invoke-cli datasets (table and JSON, broken files on stderr, a missing
// --datasets-dir), and the data-qa example through the real invoke-cli: offline with its
// mock set (its search step shows the memories), live against the OpenAI stub server
// (the request carries the record found); a search over a --datasets-dir of the user's.
#include "tests/support/cliprocess.h"
#include "tests/support/jsontext.h"
#include "tests/support/openaistubserver.h"
#include "tests/support/serverprocess.h"
#include "tests/support/testpaths.h"

#include "core/model/json/json.h"

#include <QtCore/QDir>
#include <QtCore/QDirIterator>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace invoke;
using namespace invoke::test;

namespace {

using test::CliRun;

// The step_finished event of `path` in an --format events document.
Json stepFinished(const Json &document, const QString &path)
{
    for (const Json &event : document.value("events", Json::array())) {
        const Json &payload = event.value("payload", Json());
        if (payload.is_object() && stringField(payload, "status") == u"step finished"_s
            && stringField(event.value("metadata", Json::object()), "path") == path)
            return event;
    }
    return Json();
}

} // namespace

class TstCliDatasets : public QObject
{
    Q_OBJECT

private:
    CliRun run(const QStringList &args, const QHash<QString, QString> &env = {});
    QString writeFile(const QString &name, const QByteArray &bytes);

    QTemporaryDir m_home;

private Q_SLOTS:
    void initTestCase();
    void listsTheBundledDataset();
    void listsAsJson();
    void datasetsDirAndBrokenFiles();
    void missingDatasetsDir();
    void dataQaOfflineShowsTheMemories();
    void invokeSearchesADatasetsDir();
    void dataQaLiveSendsTheMemories();
};

CliRun TstCliDatasets::run(const QStringList &args, const QHash<QString, QString> &env)
{
    // Keep the event loop running: the stub server answers from this process.
    return test::runProcess(test::cliProgram(), args,
                            test::withVariables(test::ServerProcess::scratchEnvironment(m_home.path()), env),
                            m_home.path());
}

QString TstCliDatasets::writeFile(const QString &name, const QByteArray &bytes)
{
    return test::writeFile(m_home.filePath(name), bytes);
}

void TstCliDatasets::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_home.isValid());
    QVERIFY2(QFileInfo(test::cliProgram()).isExecutable(),
             "build invoke-cli first (it is a dependency of tst_cli_datasets)");
}

void TstCliDatasets::listsTheBundledDataset()
{
    const CliRun r = run({u"datasets"_s});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QStringList lines = r.out.split(u'\n', Qt::SkipEmptyParts);
    QVERIFY2(lines.value(0).startsWith(u"SLUG"_s) && lines.value(0).contains(u"ROWS  DESCRIPTION"_s), qPrintable(r.out));
    QVERIFY2(lines.value(1).startsWith(u"solar-system  Solar system  13    The planets and dwarf planets"_s),
             qPrintable(r.out));
    QVERIFY2(r.err.isEmpty(), qPrintable(r.err));
    // The index lives in the user's data folder (XDG_DATA_HOME/<organisation>/<app>).
    QDirIterator it(m_home.filePath(u"data"_s), {u"dataset-index.sqlite"_s}, QDir::Files,
                    QDirIterator::Subdirectories);
    QVERIFY(it.hasNext());
}

void TstCliDatasets::listsAsJson()
{
    const CliRun r = run({u"datasets"_s, u"--json"_s});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const Json list = parseJson(r.out.toUtf8());
    QVERIFY2(list.is_array() && list.size() == 1, qPrintable(r.out));
    QCOMPARE(stringField(list[0], "slug"), u"solar-system"_s);
    QCOMPARE(stringField(list[0], "name"), u"Solar system"_s);
    QCOMPARE(intField(list[0], "size"), 13);
    QVERIFY(stringField(list[0], "description").contains(u"NASA"_s));
}

void TstCliDatasets::datasetsDirAndBrokenFiles()
{
    writeFile(u"mine/recipes.md"_s, "# Pancakes\nflour, milk, eggs\n\n# Soup\nleeks\n");
    const QString bad = writeFile(u"mine/broken.jsonl"_s, "{\"text\": \"ok\"}\n{nope\n");
    writeFile(u"more/Field Notes/a.txt"_s, "one\n\ntwo\n");
    const CliRun r = run({u"datasets"_s, u"--datasets-dir"_s, m_home.filePath(u"mine"_s), u"--datasets-dir"_s,
                          m_home.filePath(u"more"_s)});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.err.startsWith(bad + u":2: not valid JSON: column 3: "_s), qPrintable(r.err));
    QVERIFY2(r.out.contains(u"\nrecipes       recipes       2     File recipes.md\n"_s), qPrintable(r.out));
    QVERIFY2(r.out.contains(u"\nfield-notes   Field Notes   2     Folder Field Notes (1 files)\n"_s), qPrintable(r.out));
    QVERIFY2(r.out.contains(u"\nsolar-system  "_s), qPrintable(r.out));
    QVERIFY2(!r.out.contains(u"broken"_s), qPrintable(r.out));
}

void TstCliDatasets::missingDatasetsDir()
{
    for (const QString &command : {u"datasets"_s, u"invoke"_s}) {
        QStringList args{command, u"--datasets-dir"_s, m_home.filePath(u"nowhere"_s)};
        if (command == u"invoke"_s)
            args += {u"data-qa"_s, u"-m"_s, u"hi"_s};
        const CliRun r = run(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"--datasets-dir "_s + m_home.filePath(u"nowhere"_s) + u": no such folder"_s),
                 qPrintable(r.err));
        QVERIFY2(r.err.contains(u"Try 'invoke-cli %1 --help'."_s.arg(command)), qPrintable(r.err));
    }
}

void TstCliDatasets::dataQaOfflineShowsTheMemories()
{
    const CliRun r = run({u"invoke"_s, u"data-qa"_s, u"-m"_s, u"Which planet has the Great Red Spot?"_s, u"--mode"_s,
                          u"manual"_s, u"--format"_s, u"events"_s});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
    const Json document = parseJson(r.out.toUtf8());
    const Json search = stepFinished(document, u"search"_s);
    QVERIFY2(search.is_object(), qPrintable(r.out.left(2000)));
    QCOMPARE(stringField(search["metadata"], "source"), u"mock"_s);
    const Json &memories = search["payload"]["result"]["output"]["memories"];
    QVERIFY2(memories.is_array() && memories.size() == 3, qPrintable(jsonText(search)));
    QCOMPARE(stringField(memories[0], "id"), u"solar-system.csv:6"_s);
    QVERIFY(stringField(memories[0], "content").startsWith(u"name: Jupiter; type: gas giant"_s));
    const Json answer = stepFinished(document, u"answer"_s);
    QCOMPARE(stringField(answer["metadata"], "source"), u"mock"_s);
}

void TstCliDatasets::invokeSearchesADatasetsDir()
{
    writeFile(u"ships/vessels.csv"_s, "ship,fact\nEndurance,\"Shackleton's ship, crushed by pack ice in 1915\"\n");
    // A bot that only searches: live mode needs no LLM for it.
    writeFile(u"finder/finder.bot.json"_s,
              "{\"bot\": {\"key\": \"finder\"}, \"steps\": [{\"key\": \"search\", \"action_type\": "
              "\"memory.search\", \"parameters\": {\"query\": \"{{query}}\"}}]}");
    const QStringList finder{u"invoke"_s, u"finder"_s, u"--bots-dir"_s, m_home.filePath(u"finder"_s),
                             u"-m"_s, u"pack ice"_s, u"-d"_s, u"vessels"_s, u"--format"_s, u"events"_s};
    const CliRun r = run(finder + QStringList{u"--datasets-dir"_s, m_home.filePath(u"ships"_s)});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
    const Json search = stepFinished(parseJson(r.out.toUtf8()), u"search"_s);
    const Json &memories = search["payload"]["result"]["output"]["memories"];
    QVERIFY2(memories.is_array() && memories.size() == 1, qPrintable(jsonText(search)));
    QCOMPARE(stringField(memories[0], "id"), u"vessels.csv:2"_s);
    QCOMPARE(stringField(memories[0], "dataset"), u"vessels"_s);

    // Without the folder the slug is unknown, and the step says so.
    const CliRun without = run(finder);
    QCOMPARE(without.exitCode, 1);
    QVERIFY2(without.out.contains(u"unknown dataset \\\"vessels\\\""_s), qPrintable(without.out + without.err));
}

void TstCliDatasets::dataQaLiveSendsTheMemories()
{
    test::OpenAiStubServer server;
    QVERIFY(server.listen());
    server.setReply(test::StubReply::text({u"Olympus Mons, on Mars [solar-system.csv:5]."_s}, 200, 12));
    const CliRun r = run({u"invoke"_s, u"data-qa"_s, u"-m"_s, u"Where is the tallest volcano?"_s},
                         {{u"INVOKE_LLM_BASE_URL"_s, server.baseUrl()},
                          {u"INVOKE_LLM_MODEL"_s, u"stub-model"_s},
                          {u"INVOKE_LLM_API_KEY"_s, u"test-key"_s}});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
    QVERIFY2(r.out.contains(u"Olympus Mons, on Mars [solar-system.csv:5]."_s), qPrintable(r.out));
    QCOMPARE(server.requestCount(), 1);
    const Json body = server.requests().first().json();
    const QString system = stringField(body["messages"][0], "content");
    QVERIFY2(system.contains(u"\"id\":\"solar-system.csv:5\""_s) && system.contains(u"Olympus Mons"_s),
             qPrintable(system));
}

QTEST_GUILESS_MAIN(TstCliDatasets)
#include "tst_cli_datasets.moc"
