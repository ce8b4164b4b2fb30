// End to end: runs the real build/bin/invoke-cli with QProcess, in a scratch home
// (XDG_DATA_HOME, XDG_CACHE_HOME, XDG_CONFIG_HOME), and reads what it prints.
#include "tests/support/cliprocess.h"
#include "tests/support/openaistubserver.h"
#include "tests/support/serverprocess.h"
#include "tests/support/testpaths.h"

#include "core/model/json/json.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QProcess>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <csignal>
#include <sys/types.h>

using namespace Qt::StringLiterals;
using namespace invoke;

namespace {

using test::CliRun;

// What each bundled example must answer with its mock set (a part of the result).
// Examples not listed here are still run and checked for the common shape.
const QHash<QString, QString> &expectedResults()
{
    static const QHash<QString, QString> expected{
        {u"chat"_s, u"answering from its mock set"_s},
        {u"ticket-triage"_s, u"URGENT: paging the billing on-call engineer"_s},
        {u"research-assistant"_s, u"In short: Green tea and black tea come from the same plant"_s},
        {u"summariser"_s, u"In short"_s},
    };
    return expected;
}

QStringList exampleKeys()
{
    QStringList keys;
    const QDir dir(test::sourcePath(u"resources/bots"_s));
    for (const QString &file : dir.entryList({u"*.bot.json"_s}, QDir::Files, QDir::Name))
        keys.append(file.chopped(int(qstrlen(".bot.json"))));
    return keys;
}

QString mocksOf(const QString &key)
{
    return test::sourcePath(u"resources/mocks/%1.mocks.json"_s.arg(key));
}

} // namespace

class TstCli : public QObject
{
    Q_OBJECT

private:
    QProcessEnvironment environment(const QHash<QString, QString> &env) const;
    CliRun run(const QStringList &args, const QHash<QString, QString> &env = {});
    Json runJson(const QStringList &args, int expectedExit = 0);
    QString writeFile(const QString &name, const QByteArray &bytes);

    QTemporaryDir m_home;

private Q_SLOTS:
    void initTestCase();

    void examplesRunOffline_data();
    void examplesRunOffline();
    void examplesAsJson_data();
    void examplesAsJson();
    void examplesAsEvents_data();
    void examplesAsEvents();

    void ticketTriageHandlers_data();
    void ticketTriageHandlers();
    void manualWithoutMocksUsesBundledSet();
    void missingMockFailsNamingTheStep();
    void badMockSetListsEveryProblem();
    void parametersAndMessagesReachTheBot();
    void messagesFileErrorsNameTheLine();
    void unknownBotFails();

    void usageErrors_data();
    void usageErrors();
    void help();

    void botsListsTheExamples();
    void botsJson();
    void brokenBotFileIsReported();

    void streamPrintsTextAsItArrives();
    void streamEventsOnePerLine();
    void liveStreamShowsTextBeforeTheEnd();
    void interruptCancelsTheRun();
    void nestedStepsShowTheirPath();

    void replayStoresThenHitsWithoutHttp();
    void cacheCommands();
};

// The child's environment: a scratch home, no LLM settings of the machine, plus `env`.
QProcessEnvironment TstCli::environment(const QHash<QString, QString> &env) const
{
    return test::withVariables(test::ServerProcess::scratchEnvironment(m_home.path()), env);
}

CliRun TstCli::run(const QStringList &args, const QHash<QString, QString> &env)
{
    // The event loop keeps running while it waits: tests serve HTTP from this process.
    return test::runProcess(test::cliProgram(), args, environment(env), test::sourceDir());
}

Json TstCli::runJson(const QStringList &args, int expectedExit)
{
    const CliRun r = run(args);
    if (r.exitCode != expectedExit)
        qWarning("exit %d, stderr: %s", r.exitCode, qPrintable(r.err));
    QString error;
    const Json value = parseJson(r.out.toUtf8(), &error);
    if (value.is_discarded())
        qWarning("not JSON (%s): %s", qPrintable(error), qPrintable(r.out));
    return value;
}

QString TstCli::writeFile(const QString &name, const QByteArray &bytes)
{
    return test::writeFile(m_home.filePath(name), bytes);
}

void TstCli::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_home.isValid());
    QVERIFY2(QFileInfo(test::cliProgram()).isExecutable(),
             "build invoke-cli first (it is a dependency of tst_cli)");
    QVERIFY(exampleKeys().size() >= 3);
}

void TstCli::examplesRunOffline_data()
{
    QTest::addColumn<QString>("key");
    for (const QString &key : exampleKeys())
        QTest::newRow(qPrintable(key)) << key;
}

void TstCli::examplesRunOffline()
{
    QFETCH(QString, key);
    QVERIFY2(QFileInfo::exists(mocksOf(key)), "every example bot needs a mock set");
    const CliRun r = run({u"invoke"_s, key, u"-m"_s, u"hi"_s, u"--mode"_s, u"manual"_s,
                          u"--mocks"_s, mocksOf(key), u"--format"_s, u"text"_s, u"-v"_s});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));

    const QStringList lines = r.out.split(u'\n');
    QVERIFY2(lines.value(0).startsWith(u"Bot: "_s) && lines.value(0).size() > 5, qPrintable(r.out));
    QVERIFY2(lines.value(1).startsWith(u"Invocation ID: "_s) && lines.value(1).size() > 15, qPrintable(r.out));
    const qsizetype steps = lines.indexOf(u"Steps:"_s);
    const qsizetype result = lines.indexOf(u"Result:"_s);
    QVERIFY2(steps > 1 && result > steps + 1, qPrintable(r.out));

    // Every top-level step of the file completed, in the steps list.
    QFile file(test::sourcePath(u"resources/bots/%1.bot.json"_s.arg(key)));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const Json bot = parseJson(file.readAll());
    for (const Json &step : bot["steps"]) {
        const QString line = u"  ✓ %1 (%2)"_s.arg(stringField(step, "key"), stringField(step, "action_type"));
        QVERIFY2(lines.mid(steps, result - steps).contains(line), qPrintable(line + u"\n"_s + r.out));
    }
    QVERIFY2(!lines.value(result + 1).trimmed().isEmpty(), qPrintable(r.out));
    if (expectedResults().contains(key))
        QVERIFY2(r.out.mid(r.out.indexOf(u"Result:"_s)).contains(expectedResults().value(key)), qPrintable(r.out));
}

void TstCli::examplesAsJson_data() { examplesRunOffline_data(); }

void TstCli::examplesAsJson()
{
    QFETCH(QString, key);
    const Json summary = runJson({u"invoke"_s, key, u"-m"_s, u"hi"_s, u"--mocks"_s, mocksOf(key),
                                  u"--format"_s, u"json"_s});
    QVERIFY(summary.is_object());
    QCOMPARE(stringField(summary, "bot_key"), key);
    QVERIFY(!stringField(summary, "bot_name").isEmpty());
    QVERIFY(!stringField(summary, "invocation_id").isEmpty());
    QCOMPARE(boolField(summary, "success"), true);
    QVERIFY(summary.contains("error"));
    QVERIFY(!stringField(summary, "result").isEmpty());
    QVERIFY(summary["steps"].is_array() && !summary["steps"].empty());
    for (const Json &step : summary["steps"]) {
        QVERIFY(!stringField(step, "key").isEmpty());
        QVERIFY(!stringField(step, "action").isEmpty());
        QCOMPARE(stringField(step, "status"), u"success"_s);
    }
    if (expectedResults().contains(key))
        QVERIFY(stringField(summary, "result").contains(expectedResults().value(key)));
}

void TstCli::examplesAsEvents_data() { examplesRunOffline_data(); }

void TstCli::examplesAsEvents()
{
    QFETCH(QString, key);
    const Json doc = runJson({u"invoke"_s, key, u"-m"_s, u"hi"_s, u"--mode"_s, u"manual"_s,
                              u"--mocks"_s, mocksOf(key), u"--format"_s, u"events"_s});
    QVERIFY(doc.is_object() && doc["events"].is_array());
    const Json &events = doc["events"];
    QVERIFY(events.size() >= 4);
    QCOMPARE(stringField(events.front(), "type"), u"invocation_started"_s);
    QCOMPARE(stringField(events.back(), "type"), u"invocation_finished"_s);
    QCOMPARE(stringField(events.back()["payload"], "status"), u"success"_s);
    // Every answer of an action came from the mock set or was computed, never live.
    for (const Json &event : events)
        if (stringField(event, "type") == u"step_finished"_s)
            QVERIFY(stringField(event["metadata"], "source") != u"live"_s
                    || !stringField(event["payload"], "action_type").startsWith(u"llm."_s));
}

// The example's result handlers: the answer decides which one writes the result.
void TstCli::ticketTriageHandlers_data()
{
    QTest::addColumn<QByteArray>("answer");
    QTest::addColumn<QString>("handlerStep");
    QTest::addColumn<QString>("expected");
    QTest::newRow("normal") << QByteArray(R"({\"team\": \"bugs\", \"priority\": \"normal\", \"summary\": \"Export button does nothing.\", \"reply\": \"Thanks, we are on it.\"})")
                            << u"route"_s << u"Routed to bugs (normal priority).\nSummary: Export button does nothing."_s;
    QTest::newRow("not JSON") << QByteArray("Sorry, I cannot help with that.")
                              << u"fallback"_s << u"needs a human: Sorry, I cannot help with that."_s;
}

void TstCli::ticketTriageHandlers()
{
    QFETCH(QByteArray, answer);
    QFETCH(QString, handlerStep);
    QFETCH(QString, expected);
    const QString mocks = writeFile(u"triage-%1.mocks.json"_s.arg(QString::fromLatin1(QTest::currentDataTag())),
                                    R"({"classify": {"status": "success", "output": {"content": ")" + answer + R"("}}})");
    const CliRun r = run({u"invoke"_s, u"ticket-triage"_s, u"-m"_s, u"ticket"_s, u"--mocks"_s, mocks, u"-v"_s});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
    QVERIFY2(r.out.contains(u"  ✓ %1 (utils.write)\n"_s.arg(handlerStep)), qPrintable(r.out));
    QVERIFY2(r.out.contains(expected), qPrintable(r.out));
    QCOMPARE(r.out.count(u"(utils.write)"_s), 1);
}

void TstCli::manualWithoutMocksUsesBundledSet()
{
    const CliRun r = run({u"invoke"_s, u"chat"_s, u"-m"_s, u"hi"_s, u"--mode"_s, u"manual"_s});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY(r.out.contains(expectedResults().value(u"chat"_s)));
}

void TstCli::missingMockFailsNamingTheStep()
{
    const QString mocks = writeFile(u"empty.mocks.json"_s, "{}");
    const CliRun r = run({u"invoke"_s, u"ticket-triage"_s, u"-m"_s, u"my invoice is wrong"_s,
                          u"--mocks"_s, mocks});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(u"classify"_s) && r.err.contains(u"llm.message"_s), qPrintable(r.err));
    QVERIFY2(r.err.startsWith(u"error: "_s), qPrintable(r.err));

    const Json summary = runJson({u"invoke"_s, u"chat"_s, u"-m"_s, u"hi"_s, u"--mocks"_s, mocks,
                                  u"--format"_s, u"json"_s}, 1);
    QCOMPARE(boolField(summary, "success", true), false);
    QVERIFY(stringField(summary, "error").contains(u"answer"_s));
}

void TstCli::badMockSetListsEveryProblem()
{
    const QString mocks = writeFile(u"bad.mocks.json"_s,
                                    "{\n  \"answer\": {\"status\": \"success\"},\n"
                                    "  \"llm.message\": {\"status\": \"error\"}\n}\n");
    const CliRun r = run({u"invoke"_s, u"chat"_s, u"-m"_s, u"hi"_s, u"--mocks"_s, mocks});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(mocks + u":2: key \"answer\""_s) && r.err.contains(u"\"output\""_s), qPrintable(r.err));
    QVERIFY2(r.err.contains(mocks + u":3: key \"llm.message\""_s) && r.err.contains(u"\"error\""_s), qPrintable(r.err));
    QVERIFY(r.out.isEmpty());
}

void TstCli::parametersAndMessagesReachTheBot()
{
    // A bot of our own that writes back what it was given.
    writeFile(u"extra-bots/echo-inputs.bot.json"_s, R"({
  "bot": {"key": "echo-inputs", "name": "Echo inputs"},
  "steps": [
    {"key": "show", "action_type": "utils.write", "user_output_visibility": "visible",
     "parameters": {"content": "topic={{topic}} days={{days}} tags={{tags}} query={{query}} messages={{system.messages}}"}}
  ]
})");
    const QString messages = writeFile(u"conversation.json"_s,
                                       R"([{"role": "user", "content": "first"}, {"role": "assistant", "content": "ok"}])");
    const CliRun r = run({u"invoke"_s, u"echo-inputs"_s, u"--bots-dir"_s, m_home.filePath(u"extra-bots"_s),
                          u"--messages"_s, messages, u"-m"_s, u"system: be brief"_s, u"-m"_s, u"second"_s,
                          u"-p"_s, u"topic=green tea"_s, u"-p"_s, u"{\"days\": 3}"_s, u"-p"_s, u"tags=[\"a\",1]"_s});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains(u"topic=green tea days=3 tags=[\"a\",1] query=second "_s), qPrintable(r.out));
    QVERIFY2(r.out.contains(u"{\"content\":\"first\",\"role\":\"user\"},{\"content\":\"ok\",\"role\":\"assistant\"},"
                            "{\"content\":\"be brief\",\"role\":\"system\"},{\"content\":\"second\",\"role\":\"user\"}"_s),
             qPrintable(r.out));
}

void TstCli::messagesFileErrorsNameTheLine()
{
    const QString bad = writeFile(u"bad-messages.json"_s,
                                  "[\n  {\"role\": \"user\", \"content\": \"a\"},\n  {\"role\": \"robot\", \"content\": \"b\"}\n]\n");
    CliRun r = run({u"invoke"_s, u"chat"_s, u"--messages"_s, bad, u"--mode"_s, u"manual"_s});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(bad + u":3: message 2: "_s) && r.err.contains(u"role"_s), qPrintable(r.err));

    const QString broken = writeFile(u"broken-messages.json"_s, "[\n  {\"role\": \"user\",\n");
    r = run({u"invoke"_s, u"chat"_s, u"--messages"_s, broken, u"--mode"_s, u"manual"_s});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(broken + u": line 3"_s), qPrintable(r.err));
}

void TstCli::unknownBotFails()
{
    const CliRun r = run({u"invoke"_s, u"no-such-bot"_s, u"-m"_s, u"hi"_s, u"--mode"_s, u"manual"_s});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(u"no-such-bot"_s), qPrintable(r.err));
    QVERIFY2(r.out.isEmpty(), qPrintable(r.out));
}

void TstCli::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("no command") << QStringList{} << u"missing command"_s;
    QTest::newRow("unknown command") << QStringList{u"launch"_s} << u"unknown command \"launch\""_s;
    QTest::newRow("unknown option") << QStringList{u"invoke"_s, u"chat"_s, u"--colour"_s} << u"colour"_s;
    QTest::newRow("missing bot") << QStringList{u"invoke"_s, u"-m"_s, u"hi"_s} << u"BOT_KEY"_s;
    QTest::newRow("bad mode") << QStringList{u"invoke"_s, u"chat"_s, u"--mode"_s, u"offline"_s} << u"offline"_s;
    QTest::newRow("refresh without replay") << QStringList{u"invoke"_s, u"chat"_s, u"--refresh"_s}
                                            << u"--refresh requires --mode replay"_s;
    QTest::newRow("refresh in manual") << QStringList{u"invoke"_s, u"chat"_s, u"--mode"_s, u"manual"_s, u"--refresh"_s}
                                       << u"--refresh requires --mode replay"_s;
    QTest::newRow("bad -p JSON") << QStringList{u"invoke"_s, u"chat"_s, u"-p"_s, u"{\"topic\":"_s} << u"not a JSON object"_s;
    QTest::newRow("-p without =") << QStringList{u"invoke"_s, u"chat"_s, u"-p"_s, u"topic"_s} << u"key=value"_s;
    QTest::newRow("bad format") << QStringList{u"invoke"_s, u"chat"_s, u"--format"_s, u"yaml"_s} << u"yaml"_s;
    QTest::newRow("mocks in live") << QStringList{u"invoke"_s, u"chat"_s, u"--mode"_s, u"live"_s, u"--mocks"_s,
                                                  mocksOf(u"chat"_s)} << u"--mocks"_s;
    QTest::newRow("stream json") << QStringList{u"invoke"_s, u"chat"_s, u"--stream"_s, u"--format"_s, u"json"_s}
                                 << u"--stream"_s;
    QTest::newRow("missing bots dir") << QStringList{u"bots"_s, u"--bots-dir"_s, u"/no/such/folder"_s}
                                      << u"/no/such/folder"_s;
    QTest::newRow("bad cache action") << QStringList{u"cache"_s, u"purge"_s} << u"purge"_s;
    QTest::newRow("cache show without key") << QStringList{u"cache"_s, u"show"_s} << u"KEY"_s;
}

void TstCli::usageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const CliRun r = run(args);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(message), qPrintable(r.err));
    QVERIFY2(r.err.contains(u"--help"_s), qPrintable(r.err));
    QVERIFY(r.out.isEmpty());
}

void TstCli::help()
{
    CliRun r = run({u"--help"_s});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains(u"invoke BOT_KEY"_s) && r.out.contains(u"cache"_s));
    r = run({u"invoke"_s, u"--help"_s});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains(u"assistant:"_s) && r.out.contains(u"--refresh"_s) && r.out.contains(u"--stream"_s));
    r = run({u"help"_s, u"cache"_s});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains(u"show KEY"_s));
}

void TstCli::botsListsTheExamples()
{
    const CliRun r = run({u"bots"_s});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QStringList lines = r.out.split(u'\n', Qt::SkipEmptyParts);
    QVERIFY(lines.value(0).startsWith(u"KEY"_s) && lines.value(0).contains(u"DESCRIPTION"_s));
    for (const QString &key : exampleKeys())
        QVERIFY2(std::any_of(lines.cbegin(), lines.cend(), [&](const QString &l) { return l.startsWith(key + u' '); }),
                 qPrintable(key + u"\n"_s + r.out));
}

void TstCli::botsJson()
{
    const Json bots = runJson({u"bots"_s, u"--json"_s});
    QVERIFY(bots.is_array());
    QStringList keys;
    for (const Json &bot : bots) {
        keys.append(stringField(bot, "key"));
        QVERIFY(!stringField(bot, "name").isEmpty());
        QVERIFY(!stringField(bot, "description").isEmpty());
        QVERIFY(!stringField(bot, "updated_at").isEmpty());
    }
    for (const QString &key : exampleKeys())
        QVERIFY2(keys.contains(key), qPrintable(key));
}

void TstCli::brokenBotFileIsReported()
{
    const QString dir = m_home.filePath(u"broken-bots"_s);
    writeFile(u"broken-bots/good.bot.json"_s,
              R"({"bot": {"key": "good-one", "name": "Good one", "description": "Loads fine"},
 "steps": [{"key": "say", "action_type": "utils.write", "parameters": {"content": "fine"}}]})");
    const QString broken = writeFile(u"broken-bots/broken.bot.json"_s,
                                     "{\n  \"bot\": {\"key\": \"broken\"},\n  \"steps\": [\n    {\"key\": \"a\",}\n  ]\n}\n");
    const CliRun r = run({u"bots"_s, u"--bots-dir"_s, dir});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.err.contains(broken + u":4: "_s), qPrintable(r.err));
    QVERIFY(r.out.contains(u"good-one"_s));
    QVERIFY(r.out.contains(u"chat"_s));
    QVERIFY(!r.out.contains(u"broken"_s));
}

void TstCli::streamPrintsTextAsItArrives()
{
    const CliRun r = run({u"invoke"_s, u"chat"_s, u"-m"_s, u"hi"_s, u"--mocks"_s, mocksOf(u"chat"_s), u"--stream"_s});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    // Only the text: no header, no "Result:" block printed again.
    QVERIFY2(r.out.startsWith(u"Hello!"_s), qPrintable(r.out));
    QVERIFY(r.out.endsWith(u'\n'));
    QCOMPARE(r.out.count(expectedResults().value(u"chat"_s)), 1);
    QVERIFY(!r.out.contains(u"Result:"_s));
}

void TstCli::streamEventsOnePerLine()
{
    const CliRun r = run({u"invoke"_s, u"ticket-triage"_s, u"-m"_s, u"hi"_s, u"--mocks"_s,
                          mocksOf(u"ticket-triage"_s), u"--stream"_s, u"--format"_s, u"events"_s});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QStringList lines = r.out.split(u'\n', Qt::SkipEmptyParts);
    QVERIFY(lines.size() >= 6);
    for (const QString &line : lines)
        QVERIFY2(parseJson(line.toUtf8()).is_object(), qPrintable(line));
    QCOMPARE(stringField(parseJson(lines.first().toUtf8()), "type"), u"invocation_started"_s);
    QCOMPARE(stringField(parseJson(lines.last().toUtf8()), "type"), u"invocation_finished"_s);
}

namespace {

const char secretKey[] = "sk-test-never-print-me";

// The environment that points llm.message at `server`, with its own cache folder.
QHash<QString, QString> llmEnvironment(const test::OpenAiStubServer &server, const QString &cacheHome)
{
    return {{u"INVOKE_LLM_BASE_URL"_s, server.baseUrl()},
            {u"INVOKE_LLM_MODEL"_s, u"stub-model"_s},
            {u"INVOKE_LLM_API_KEY"_s, QString::fromLatin1(secretKey)},
            {u"XDG_CACHE_HOME"_s, cacheHome}};
}

// The sources of the llm.message steps of an events document, in order.
QStringList llmSources(const Json &doc)
{
    QStringList sources;
    for (const Json &event : doc.value("events", Json::array()))
        if (stringField(event, "type") == u"step_finished"_s
            && stringField(event["payload"], "action_type") == u"llm.message"_s)
            sources.append(stringField(event["metadata"], "source"));
    return sources;
}

} // namespace

void TstCli::liveStreamShowsTextBeforeTheEnd()
{
    test::OpenAiStubServer server;
    QVERIFY(server.listen());
    test::StubReply reply = test::StubReply::text({u"First words"_s, u", then the rest."_s}, 12, 5);
    reply.holdAfter = 1; // the server waits after the first delta until release()
    server.setReply(reply);
    QSignalSpy held(&server, &test::OpenAiStubServer::held);

    QProcess process;
    process.setProcessEnvironment(environment(llmEnvironment(server, m_home.filePath(u"live-cache"_s))));
    QSignalSpy finished(&process, &QProcess::finished);
    process.start(test::cliProgram(),
                  {u"invoke"_s, u"chat"_s, u"-m"_s, u"hi"_s, u"--stream"_s});
    QVERIFY(held.wait(60000));
    // The first delta is on stdout while the answer is still incomplete.
    QByteArray out;
    QTRY_VERIFY_WITH_TIMEOUT((out += process.readAllStandardOutput()).contains("First words"), 30000);
    QCOMPARE(process.state(), QProcess::Running);
    QVERIFY(!out.contains("the rest"));
    server.release();
    QVERIFY(finished.wait(60000));
    out += process.readAllStandardOutput();
    QCOMPARE(process.exitCode(), 0);
    QCOMPARE(out, QByteArray("First words, then the rest.\n"));
    QCOMPARE(server.requestCount(), 1);
}

void TstCli::interruptCancelsTheRun()
{
    // Ctrl+C in the middle of a live answer: the request is dropped and the run ends as
    // cancelled (exit 1, the partial text kept) instead of the process dying.
    test::OpenAiStubServer server;
    QVERIFY(server.listen());
    test::StubReply reply = test::StubReply::text({u"Half an"_s, u" answer."_s}, 12, 5);
    reply.holdAfter = 1;
    server.setReply(reply);
    QSignalSpy held(&server, &test::OpenAiStubServer::held);

    QProcess process;
    process.setProcessEnvironment(environment(llmEnvironment(server, m_home.filePath(u"interrupt-cache"_s))));
    QSignalSpy finished(&process, &QProcess::finished);
    process.start(test::cliProgram(),
                  {u"invoke"_s, u"chat"_s, u"-m"_s, u"hi"_s, u"--stream"_s, u"-v"_s});
    QVERIFY(held.wait(60000));
    QByteArray out;
    QTRY_VERIFY_WITH_TIMEOUT((out += process.readAllStandardOutput()).contains("Half an"), 30000);
    QVERIFY(::kill(pid_t(process.processId()), SIGINT) == 0);
    QVERIFY(finished.wait(60000));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit); // not killed by the signal
    QCOMPARE(process.exitCode(), 1);
    out += process.readAllStandardOutput();
    const QString err = QString::fromUtf8(process.readAllStandardError());
    QVERIFY2(!out.contains("answer."), out.constData());
    QVERIFY2(err.contains(u"answer"_s) && err.contains(u"cancelled"_s), qPrintable(err));
    server.release();
}

void TstCli::nestedStepsShowTheirPath()
{
    const QString key = u"research-assistant"_s;
    const CliRun r = run({u"invoke"_s, key, u"-m"_s, u"tea"_s, u"--mocks"_s, mocksOf(key), u"-v"_s});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains(u"  ✓ summarise (bot.invoke)\n  ✓ summarise/answer (llm.message)\n"_s), qPrintable(r.out));
}

void TstCli::replayStoresThenHitsWithoutHttp()
{
    test::OpenAiStubServer server;
    QVERIFY(server.listen());
    server.setReply(test::StubReply::text({u"Hello"_s, u" from"_s, u" the stub."_s}, 10, 3));
    const auto env = llmEnvironment(server, m_home.filePath(u"replay-cache"_s));
    const QStringList args{u"invoke"_s, u"chat"_s, u"-m"_s, u"replay me"_s, u"--mode"_s, u"replay"_s,
                           u"--format"_s, u"events"_s};
    auto events = [&](const QStringList &a, CliRun *r) {
        *r = run(a, env);
        QVERIFY2(!r->out.contains(QLatin1String(secretKey)) && !r->err.contains(QLatin1String(secretKey)),
                 "the API key must never be printed");
    };

    CliRun r;
    events(args, &r); // a miss: runs live and stores
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QCOMPARE(server.requestCount(), 1);
    QCOMPARE(llmSources(parseJson(r.out.toUtf8())), QStringList{u"replay_stored"_s});
    QCOMPARE(server.requests().first().header("authorization"), QByteArray("Bearer ") + secretKey);

    events(args, &r); // a hit: no HTTP request at all
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QCOMPARE(server.requestCount(), 1);
    QCOMPARE(llmSources(parseJson(r.out.toUtf8())), QStringList{u"replay_hit"_s});

    CliRun text = run({u"invoke"_s, u"chat"_s, u"-m"_s, u"replay me"_s, u"--mode"_s, u"replay"_s}, env);
    QCOMPARE(text.exitCode, 0);
    QVERIFY2(text.out.contains(u"Result:\nHello from the stub.\n"_s), qPrintable(text.out));
    QCOMPARE(server.requestCount(), 1);

    events(args + QStringList{u"--refresh"_s}, &r); // refresh: one new request, overwritten
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QCOMPARE(server.requestCount(), 2);
    QCOMPARE(llmSources(parseJson(r.out.toUtf8())), QStringList{u"refreshed"_s});

    events({u"invoke"_s, u"chat"_s, u"-m"_s, u"replay me"_s, u"--format"_s, u"events"_s}, &r); // live
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QCOMPARE(server.requestCount(), 3);
    QCOMPARE(llmSources(parseJson(r.out.toUtf8())), QStringList{u"live"_s});

    // An HTTP error fails the run with the provider's message, and exit code 1.
    server.setReply(test::StubReply::error(429, u"Rate limit reached, slow down"_s));
    events({u"invoke"_s, u"chat"_s, u"-m"_s, u"another question"_s, u"--mode"_s, u"replay"_s}, &r);
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(u"Rate limit reached"_s), qPrintable(r.err));
}

void TstCli::cacheCommands()
{
    test::OpenAiStubServer server;
    QVERIFY(server.listen());
    server.setReply(test::StubReply::text({u"Cached answer."_s}, 7, 2));
    const QString cacheHome = m_home.filePath(u"cache-commands"_s);
    const auto env = llmEnvironment(server, cacheHome);
    for (const QString &question : {u"one"_s, u"two"_s})
        QCOMPARE(run({u"invoke"_s, u"chat"_s, u"-m"_s, question, u"--mode"_s, u"replay"_s}, env).exitCode, 0);
    QCOMPARE(run({u"invoke"_s, u"chat"_s, u"-m"_s, u"one"_s, u"--mode"_s, u"replay"_s}, env).exitCode, 0);
    QCOMPARE(server.requestCount(), 2);

    CliRun r = run({u"cache"_s, u"stats"_s}, env);
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains(u"Entries:  2\n"_s) && r.out.contains(u"Hits:     1\n"_s), qPrintable(r.out));
    QVERIFY2(r.out.contains(cacheHome), qPrintable(r.out));
    const Json stats = runJson({u"cache"_s, u"stats"_s, u"--json"_s});
    QVERIFY(stats.is_object() && stats.contains("entries")); // (the default cache: shape only)

    r = run({u"cache"_s, u"list"_s}, env);
    QCOMPARE(r.exitCode, 0);
    const QStringList lines = r.out.split(u'\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 3);
    QVERIFY(lines[0].startsWith(u"KEY"_s));
    QVERIFY2(lines[1].contains(u"chat"_s) && lines[1].contains(u"llm.message"_s), qPrintable(r.out));

    const CliRun listJson = run({u"cache"_s, u"list"_s, u"--json"_s}, env);
    const Json entries = parseJson(listJson.out.toUtf8());
    QVERIFY(entries.is_array() && entries.size() == 2);
    const QString key = stringField(entries[0], "key");
    QCOMPARE(key.size(), 64);

    r = run({u"cache"_s, u"show"_s, key.left(10)}, env);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const Json entry = parseJson(r.out.toUtf8());
    QCOMPARE(stringField(entry, "key"), key);
    QCOMPARE(stringField(entry, "bot_key"), u"chat"_s);
    QCOMPARE(stringField(entry, "action_type"), u"llm.message"_s);
    QCOMPARE(stringField(entry["output"], "content"), u"Cached answer."_s);
    QVERIFY(!r.out.contains(QLatin1String(secretKey)));

    r = run({u"cache"_s, u"show"_s, u"zzzz"_s}, env);
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(u"zzzz"_s), qPrintable(r.err));

    r = run({u"cache"_s, u"clear"_s}, env);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.out.startsWith(u"Removed 2 entries"_s), qPrintable(r.out));
    r = run({u"cache"_s, u"stats"_s}, env);
    QVERIFY2(r.out.contains(u"Entries:  0\n"_s), qPrintable(r.out));
}

QTEST_GUILESS_MAIN(TstCli)
#include "tst_cli.moc"
