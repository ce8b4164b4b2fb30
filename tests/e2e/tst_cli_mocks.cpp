// End to end: invoke-cli mocks validate (problems as file:line: key: field: message,
// the coverage table, the exit codes) and invoke --save-mocks (a replay run against the
// OpenAI stub saved as a redacted mock set that validates and re-runs offline).
#include "core/model/mocksetio.h"
#include "tests/support/cliprocess.h"
#include "tests/support/fakecredential.h"
#include "tests/support/openaistubserver.h"
#include "tests/support/serverprocess.h"
#include "tests/support/testpaths.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace invoke;

namespace {

using test::CliRun;

const QString FakeKey = test::fakeCredential(u"sk-live-"_s, u"0123456789abcdefABCDEF"_s);
const QString ApiKey = u"local-api-key-42"_s;
const QString AuthToken = u"server-token-77"_s;

} // namespace

class TstCliMocks : public QObject
{
    Q_OBJECT

private:
    CliRun run(const QStringList &args, const QHash<QString, QString> &env = {});
    QString writeFile(const QString &name, const QByteArray &bytes);

    QTemporaryDir m_home;
    test::OpenAiStubServer m_server;

private Q_SLOTS:
    void initTestCase();
    void examplesValidateClean_data();
    void examplesValidateClean();
    void problemsNameFileLineKeyField();
    void uncoveredStepFails();
    void nestedBotTable();
    void withoutABot();
    void usageErrors_data();
    void usageErrors();
    void saveMocksFromAReplayRun();
    void saveMocksChecksTheFolderFirst();
};

CliRun TstCliMocks::run(const QStringList &args, const QHash<QString, QString> &env)
{
    // Keep the event loop running: the stub server answers from this process.
    return test::runProcess(test::cliProgram(), args,
                            test::withVariables(test::ServerProcess::scratchEnvironment(m_home.path()), env),
                            m_home.path());
}

QString TstCliMocks::writeFile(const QString &name, const QByteArray &bytes)
{
    return test::writeFile(m_home.filePath(name), bytes);
}

void TstCliMocks::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_home.isValid());
    QVERIFY2(QFileInfo(test::cliProgram()).isExecutable(),
             "build invoke-cli first (it is a dependency of tst_cli_mocks)");
    QVERIFY(m_server.listen());
}

void TstCliMocks::examplesValidateClean_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("bot");
    const QDir dir(test::sourcePath(u"resources/mocks"_s));
    for (const QString &name : dir.entryList({u"*.mocks.json"_s}, QDir::Files, QDir::Name))
        QTest::newRow(qPrintable(name)) << dir.filePath(name) << name.chopped(int(qstrlen(".mocks.json")));
}

void TstCliMocks::examplesValidateClean()
{
    QFETCH(QString, file);
    QFETCH(QString, bot);
    const CliRun r = run({u"mocks"_s, u"validate"_s, file, u"--bot"_s, bot});
    QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
    QVERIFY2(r.out.endsWith(u"%1: valid; every step of \"%2\" is answered\n"_s.arg(file, bot)), qPrintable(r.out));
    QVERIFY(r.out.contains(u"STEP"_s) && r.out.contains(u"ANSWERED BY"_s));
    QVERIFY(!r.out.contains(u"NOTHING"_s));
}

void TstCliMocks::problemsNameFileLineKeyField()
{
    const QString file = writeFile(u"bad.mocks.json"_s,
                                   "{\n"
                                   "  \"classify\": {\n"
                                   "    \"status\": \"success\",\n"
                                   "    \"output\": {\"content\": 3}\n"
                                   "  },\n"
                                   "  \"clasify\": {\"status\": \"success\", \"output\": {\"content\": \"x\"}}\n"
                                   "}\n");
    const CliRun r = run({u"mocks"_s, u"validate"_s, file, u"--bot"_s, u"ticket-triage"_s});
    QCOMPARE(r.exitCode, 1);
    const QStringList lines = r.out.split(u'\n');
    QCOMPARE(lines.at(0), u"%1:4: classify: output.content: must be a string, not an integer (llm.message output: "
                          "{\"content\": string, \"finish_reason\"?: string, \"usage\"?: {\"input_tokens\"?: integer, "
                          "\"output_tokens\"?: integer}})"_s.arg(file));
    QCOMPARE(lines.at(1), u"%1:6: clasify: unknown step: \"clasify\" is neither a step path of bot \"ticket-triage\" "
                          "nor an action type"_s.arg(file));
    QVERIFY2(r.out.endsWith(u"%1: 2 problems\n"_s.arg(file)), qPrintable(r.out));

    // Broken JSON: one problem with its line, and no table.
    const QString broken = writeFile(u"broken.mocks.json"_s, "{\n  \"a\": {\"status\": \"success\",,}\n}\n");
    const CliRun b = run({u"mocks"_s, u"validate"_s, broken, u"--bot"_s, u"chat"_s});
    QCOMPARE(b.exitCode, 1);
    QVERIFY2(b.out.startsWith(broken + u":2: not valid JSON: line 2"_s), qPrintable(b.out));
    QVERIFY(!b.out.contains(u"ANSWERED BY"_s));
}

void TstCliMocks::uncoveredStepFails()
{
    const QString file = writeFile(u"partial.mocks.json"_s,
                                   "{\"gather\": {\"status\": \"success\", \"output\": {\"content\": \"notes\"}}}");
    const CliRun r = run({u"mocks"_s, u"validate"_s, file, u"--bot"_s, u"research-assistant"_s});
    QCOMPARE(r.exitCode, 1);
    QCOMPARE(r.out, u"Coverage of bot \"research-assistant\" in manual mode:\n"
                    "STEP              ACTION             ANSWERED BY  NOTE\n"
                    "announce          utils.send_status  computed\n"
                    "gather            llm.message        step mock\n"
                    "summarise         bot.invoke         computed\n"
                    "summarise/answer  llm.message        NOTHING\n"
                    "notes-only        utils.write        computed     in a result handler\n"
                    "%1: answered by nothing: summarise/answer\n"_s.arg(file));

    // An action-type mock answers the nested step.
    const QString typed = writeFile(u"typed.mocks.json"_s,
                                    "{\"llm.message\": {\"status\": \"error\", \"error\": \"offline\"}}");
    const CliRun t = run({u"mocks"_s, u"validate"_s, typed, u"--bot"_s, u"research-assistant"_s});
    QCOMPARE(t.exitCode, 0);
    QVERIFY2(t.out.contains(u"summarise/answer  llm.message        action-type mock  the mock answers with an error\n"_s),
             qPrintable(t.out));
}

void TstCliMocks::nestedBotTable()
{
    const QString file = writeFile(u"outer.mocks.json"_s,
                                   "{\"research\": {\"status\": \"success\", \"output\": {\"content\": \"x\"}},\n"
                                   " \"llm.message\": {\"status\": \"success\", \"output\": {\"content\": \"y\"}},\n"
                                   " \"memory.search\": {\"status\": \"success\", \"output\": {\"memories\": []}},\n"
                                   " \"run\": {\"status\": \"success\", \"output\": {\"output\": \"1\\n\", \"exit_code\": 0}}}");
    const CliRun r = run({u"mocks"_s, u"validate"_s, file, u"--bot"_s, u"outer"_s, u"--bots-dir"_s,
                          test::sourcePath(u"tests/data/mocks/bots"_s)});
    QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
    QStringList rows; // the table's rows with single spaces between the columns
    for (const QString &line : r.out.split(u'\n'))
        rows.append(line.simplified());
    QVERIFY2(rows.contains(u"research bot.invoke step mock"_s), qPrintable(r.out));
    QVERIFY2(rows.contains(u"research/deep/answer llm.message bypassed"_s), qPrintable(r.out));
    QVERIFY2(rows.contains(u"apology llm.message action-type mock in a result handler"_s), qPrintable(r.out));
    QVERIFY2(rows.contains(u"run codeexec.execute step mock"_s), qPrintable(r.out));
}

void TstCliMocks::withoutABot()
{
    const QString file = writeFile(u"loose.mocks.json"_s,
                                   "{\"anything/at/all\": {\"status\": \"success\", \"output\": 1}}");
    const CliRun r = run({u"mocks"_s, u"validate"_s, file});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, u"%1: valid\n"_s.arg(file));
}

void TstCliMocks::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("stderrStart");
    const QString chat = test::sourcePath(u"resources/mocks/chat.mocks.json"_s);
    QTest::newRow("no action") << QStringList{u"mocks"_s} << 2 << u"invoke-cli: missing action: validate FILE"_s;
    QTest::newRow("unknown action") << QStringList{u"mocks"_s, u"check"_s, chat} << 2
                                    << u"invoke-cli: unknown mocks action \"check\" (expected validate FILE)"_s;
    QTest::newRow("no file") << QStringList{u"mocks"_s, u"validate"_s} << 2
                             << u"invoke-cli: mocks validate needs the FILE of a mock set"_s;
    QTest::newRow("unknown bot") << QStringList{u"mocks"_s, u"validate"_s, chat, u"--bot"_s, u"nope"_s} << 2
                                 << u"invoke-cli: --bot nope: no such bot (list them with 'invoke-cli bots')"_s;
    QTest::newRow("missing file") << QStringList{u"mocks"_s, u"validate"_s, u"no-such.json"_s} << 1
                                  << u"error: no-such.json: cannot open: "_s;
}

void TstCliMocks::usageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(int, exitCode);
    QFETCH(QString, stderrStart);
    const CliRun r = run(args);
    QCOMPARE(r.exitCode, exitCode);
    QVERIFY2(r.err.startsWith(stderrStart), qPrintable(r.err));
    QVERIFY(r.out.isEmpty());
}

void TstCliMocks::saveMocksFromAReplayRun()
{
    // An answer that quotes a key-like value and the configured API key.
    const QString answer = u"Hello! Your key %1 and %2 are safe with me (%3)."_s.arg(FakeKey, ApiKey, AuthToken);
    m_server.setReply(test::StubReply::text({answer.left(10), answer.mid(10)}, 7, 9));
    const QHash<QString, QString> env{{u"INVOKE_LLM_BASE_URL"_s, m_server.baseUrl()},
                                      {u"INVOKE_LLM_MODEL"_s, u"stub-model"_s},
                                      {u"INVOKE_LLM_API_KEY"_s, ApiKey},
                                      {u"INVOKE_AUTH_TOKEN"_s, AuthToken}};
    const QString saved = m_home.filePath(u"chat-run.mocks.json"_s);
    const CliRun r = run({u"invoke"_s, u"chat"_s, u"-m"_s, u"hi"_s, u"--mode"_s, u"replay"_s, u"--save-mocks"_s, saved},
                         env);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.out.endsWith(u"Result:\n"_s + answer + u'\n'), qPrintable(r.out)); // the run shows what the model said
    QCOMPARE(r.err, u"Saved 1 mock to %1\n"
                    "  masked a secret: key \"answer\" at /output/content: configured secret\n"_s.arg(saved));

    QFile file(saved);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    QVERIFY(!bytes.contains(FakeKey.toUtf8()));
    QVERIFY(!bytes.contains(ApiKey.toUtf8()));
    QVERIFY(!bytes.contains(AuthToken.toUtf8()));
    QString error;
    const auto mocks = MockSet::parse(bytes);
    QVERIFY(mocks);
    QCOMPARE(mockSetBytes(*mocks), bytes); // written in the stable layout
    QCOMPARE(stringField(mocks->value(u"answer"_s)->output, "content"),
             u"Hello! Your key [redacted] and [redacted] are safe with me ([redacted])."_s);

    // It validates against the bot and runs offline.
    const CliRun v = run({u"mocks"_s, u"validate"_s, saved, u"--bot"_s, u"chat"_s});
    QVERIFY2(v.exitCode == 0, qPrintable(v.out));
    const int requests = m_server.requestCount();
    const CliRun offline = run({u"invoke"_s, u"chat"_s, u"-m"_s, u"hi"_s, u"--mocks"_s, saved}, env);
    QVERIFY2(offline.exitCode == 0, qPrintable(offline.err));
    QVERIFY2(offline.out.endsWith(u"Result:\nHello! Your key [redacted] and [redacted] are safe with me ([redacted]).\n"_s),
             qPrintable(offline.out));
    QCOMPARE(m_server.requestCount(), requests);
}

void TstCliMocks::saveMocksChecksTheFolderFirst()
{
    const int requests = m_server.requestCount();
    const CliRun r = run({u"invoke"_s, u"chat"_s, u"-m"_s, u"hi"_s, u"--save-mocks"_s, u"no/such/dir/x.json"_s},
                         {{u"INVOKE_LLM_BASE_URL"_s, m_server.baseUrl()}, {u"INVOKE_LLM_MODEL"_s, u"stub-model"_s}});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.startsWith(u"invoke-cli: --save-mocks no/such/dir/x.json: no such folder "_s), qPrintable(r.err));
    QCOMPARE(m_server.requestCount(), requests); // nothing ran
}

QTEST_GUILESS_MAIN(TstCliMocks)
#include "tst_cli_mocks.moc"
