// invoke-server read as the public SDK reads a backend. The SDK's reading rules are
// written out here (SdkReader), not taken from core/wire or core/fold, so the server is
// checked against them and not against our own reader:
//  - a payload whose "status" is "step finished" ends a step; it names none: it closes
//    the most recent step not yet closed (stack order);
//  - any other payload object with "key" and "action_type" is a step (it starts);
//  - a payload object with "bot_name" and "invocation_id" starts the run;
//  - the result text is the string payloads whose metadata has "message_content_id" and
//    "user_visibility": "visible", joined;
//  - verbose text output prints "▸ key (action)" when a step starts and "✓ key" when a
//    step finishes, each only when that event's metadata.user_visibility is "visible".
// Every bundled example runs in manual mode with its bundled mock set: invoke-cli
// --format json against a real invoke-server on loopback, through a proxy that hands the
// test the very bytes invoke-cli read (tests/support/teeproxy.h). The SDK reader and
// invoke-cli must agree on the bot name, invocation id, step keys in order and result text.
// And invoke-cli reading a stream whose finishes carry neither key nor path (the SDK's
// backend sends them) reports every step with its key, finished.
#include "core/wire/sseparser.h"
#include "tests/support/cliprocess.h"
#include "tests/support/plaininvokeserver.h"
#include "tests/support/serverprocess.h"
#include "tests/support/teeproxy.h"
#include "tests/support/testpaths.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace invoke;

namespace {

const QString kToken = u"tok-sdk-conformance-0123456789"_s;

// The public SDK's reading of a stream, fed with the answer's body as it arrives.
class SdkReader
{
public:
    QString botName;
    QString invocationId;
    QStringList stepKeys;   // in the order the steps started
    QString resultText;
    QStringList printed;    // the verbose output's step lines; "…" for visible text between them
    QStringList problems;   // where the stream leaves the rules' expectations
    QStringList open;       // steps started and not yet finished, innermost last

    void feed(const QByteArray &bytes)
    {
        QList<wire::SseMessage> messages;
        m_sse.feed(bytes, messages);
        for (const wire::SseMessage &message : std::as_const(messages))
            read(message.data);
    }

private:
    void read(const QByteArray &data)
    {
        const Json event = parseJson(data, nullptr, kJsonMaxWireDepth);
        if (!event.is_object())
            return; // not an event: skipped
        const Json payload = event.value("payload", Json());
        const Json metadata = event.value("metadata", Json::object());
        const QString visibility = stringField(metadata, "user_visibility");
        const bool visible = visibility == u"visible"_s;

        if (payload.is_string()) {
            if (metadata.contains("message_content_id") && visible) {
                resultText += toQString(payload.get<std::string>());
                if (printed.isEmpty() || printed.last() != u"…"_s)
                    printed << u"…"_s;
            }
            return;
        }
        if (!payload.is_object())
            return;
        if (stringField(payload, "status") == u"step finished"_s) {
            if (open.isEmpty()) {
                problems << u"a step finished with no step open"_s;
                return;
            }
            const QString key = open.takeLast();
            // Our server names the step it ends: it must be the one the SDK closes.
            if (const QString named = stringField(payload, "key"); !named.isEmpty() && named != key)
                problems << u"the SDK closes \"%1\" where the server ends \"%2\""_s.arg(key, named);
            if (visibility != u"visible"_s && visibility != u"hidden"_s)
                problems << u"the end of \"%1\" has no user_visibility"_s.arg(key);
            if (visible)
                printed << u"✓ "_s + key;
            return;
        }
        if (payload.contains("bot_name") && payload.contains("invocation_id")) {
            botName = stringField(payload, "bot_name");
            invocationId = stringField(payload, "invocation_id");
            return;
        }
        if (payload.contains("key") && payload.contains("action_type")) {
            const QString key = stringField(payload, "key");
            stepKeys << key;
            open << key;
            if (visibility != u"visible"_s && visibility != u"hidden"_s)
                problems << u"the start of \"%1\" has no user_visibility"_s.arg(key);
            if (visible)
                printed << u"▸ %1 (%2)"_s.arg(key, stringField(payload, "action_type"));
        }
    }

    wire::SseParser m_sse;
};

QStringList exampleKeys()
{
    QStringList keys;
    const QDir dir(test::sourcePath(u"resources/bots"_s));
    for (const QString &file : dir.entryList({u"*.bot.json"_s}, QDir::Files, QDir::Name))
        keys.append(file.chopped(int(qstrlen(".bot.json"))));
    return keys;
}

// What the SDK's verbose output shows of each example's steps, from the bot files: a
// step is visible by its user_output_visibility, else when it is llm.message or
// utils.write (docs/bots.md). research-assistant's only visible step is the nested
// summariser's "answer"; ticket-triage's mocks classify the ticket as urgent.
const QHash<QString, QStringList> &expectedPrinted()
{
    static const QHash<QString, QStringList> expected{
        {u"chat"_s, {u"▸ answer (llm.message)"_s, u"…"_s, u"✓ answer"_s}},
        {u"code-calculator"_s, {u"▸ answer (utils.write)"_s, u"…"_s, u"✓ answer"_s}},
        {u"data-qa"_s, {u"▸ answer (llm.message)"_s, u"…"_s, u"✓ answer"_s}},
        {u"research-assistant"_s, {u"▸ answer (llm.message)"_s, u"…"_s, u"✓ answer"_s}},
        {u"summariser"_s, {u"▸ answer (llm.message)"_s, u"…"_s, u"✓ answer"_s}},
        {u"ticket-triage"_s, {u"▸ escalate (utils.write)"_s, u"…"_s, u"✓ escalate"_s}},
    };
    return expected;
}

} // namespace

class TestSdkConformance : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_home;
    std::unique_ptr<test::ServerProcess> m_server;

    test::CliRun cli(const QStringList &arguments) const
    {
        const QProcessEnvironment env = test::withVariables(
            test::ServerProcess::scratchEnvironment(m_home.filePath(u"cli"_s)), {{u"INVOKE_AUTH_TOKEN"_s, kToken}});
        return test::runProcess(test::cliProgram(), arguments, env);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(QFileInfo(test::cliProgram()).isExecutable(), "build invoke-cli first");
        QVERIFY(m_home.isValid());
        const QString tokens = test::writeFile(m_home.filePath(u"tokens.txt"_s), kToken.toUtf8() + " acme\n");
        QVERIFY(QFile::setPermissions(tokens, QFile::ReadOwner | QFile::WriteOwner));
        m_server = test::ServerProcess::launch(
            {u"--tokens"_s, tokens, u"--cache"_s, m_home.filePath(u"server.sqlite"_s)},
            test::ServerProcess::scratchEnvironment(m_home.filePath(u"server"_s)));
        QVERIFY(m_server);
    }

    void cleanupTestCase()
    {
        if (m_server)
            QCOMPARE(m_server->terminate(), 0);
    }

    void sdkReadsTheServerAsTheCliDoes_data()
    {
        QTest::addColumn<QString>("key");
        const QStringList keys = exampleKeys();
        QVERIFY(keys.size() >= 6);
        for (const QString &key : keys)
            QTest::newRow(qPrintable(key)) << key;
    }

    void sdkReadsTheServerAsTheCliDoes()
    {
        QFETCH(QString, key);
        test::TeeProxy proxy(QUrl(u"http://127.0.0.1:%1"_s.arg(m_server->port())));
        QVERIFY(proxy.listen());
        const QByteArray invokePath = "/bots/" + key.toUtf8() + "/invoke";
        SdkReader sdk;
        int status = 0;
        QByteArray contentType;
        connect(&proxy, &test::TeeProxy::answerStarted, this,
                [&](const QByteArray &path, int s, const QByteArray &type) {
                    if (path == invokePath) {
                        status = s;
                        contentType = type;
                    }
                });
        connect(&proxy, &test::TeeProxy::bodyBytes, this, [&](const QByteArray &path, const QByteArray &bytes) {
            if (path == invokePath)
                sdk.feed(bytes); // as it arrives, as the SDK reads a stream
        });

        const QString mocks = test::sourcePath(u"resources/mocks/%1.mocks.json"_s.arg(key));
        QVERIFY2(QFileInfo::exists(mocks), "every example has a bundled mock set");
        const test::CliRun r = cli({u"invoke"_s, key, u"-m"_s, u"How do green and black tea differ?"_s,
                                    u"--mode"_s, u"manual"_s, u"--mocks"_s, mocks, u"--format"_s, u"json"_s,
                                    u"--endpoint"_s, proxy.endpoint()});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
        QCOMPARE(status, 200);
        QVERIFY2(contentType.startsWith("text/event-stream"), contentType.constData());

        const Json summary = parseJson(r.out.toUtf8());
        QVERIFY2(summary.is_object(), qPrintable(r.out));
        QStringList cliKeys;
        for (const Json &step : summary.value("steps", Json::array())) {
            // The CLI's key is the step path ("summarise/answer"); the SDK reads the key.
            cliKeys << stringField(step, "key").section(u'/', -1);
            QCOMPARE(stringField(step, "status"), u"success"_s);
        }

        QVERIFY2(sdk.problems.isEmpty(), qPrintable(sdk.problems.join(u'\n')));
        QVERIFY2(sdk.open.isEmpty(), qPrintable(u"still open: "_s + sdk.open.join(u", "_s)));
        QVERIFY(!sdk.botName.isEmpty());
        QCOMPARE(sdk.botName, stringField(summary, "bot_name"));
        QVERIFY(!sdk.invocationId.isEmpty());
        QCOMPARE(sdk.invocationId, stringField(summary, "invocation_id"));
        QVERIFY(!sdk.stepKeys.isEmpty());
        QCOMPARE(sdk.stepKeys, cliKeys);
        QVERIFY(!sdk.resultText.isEmpty());
        QCOMPARE(sdk.resultText, stringField(summary, "result"));

        // The SDK's verbose output shows the visible steps start, write and finish, in
        // the order of the stream.
        QVERIFY2(expectedPrinted().contains(key), qPrintable(u"no expected output for "_s + key));
        QCOMPARE(sdk.printed, expectedPrinted().value(key));
    }

    void cliReportsKeylessFinishesWithTheirKeys()
    {
        // The run of the issue: "think" and "tidy", each ended by a finish with neither
        // key nor path, CRLF line ends, split across reads.
        test::PlainInvokeServer plain;
        QVERIFY(plain.listen());
        BotInfo bot;
        bot.key = u"tidy"_s;
        bot.name = u"Tidy"_s;
        test::PlainScript script = test::PlainScript::stream(test::PlainInvokeServer::keylessFinishRun(u"Tidy"_s));
        script.crlf = true;
        script.split = true;
        plain.addBot(bot, script);
        const test::CliRun r = cli({u"invoke"_s, u"tidy"_s, u"-m"_s, u"tidy this"_s, u"--format"_s, u"json"_s,
                                    u"--endpoint"_s, plain.endpoint()});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
        const Json summary = parseJson(r.out.toUtf8());
        const Json expectedSteps = Json::array({Json{{"key", "think"}, {"action", "llm.message"}, {"status", "success"}},
                                                Json{{"key", "tidy"}, {"action", "utils.write"}, {"status", "success"}}});
        QVERIFY2(summary.value("steps", Json()) == expectedSteps, qPrintable(r.out));
        QCOMPARE(stringField(summary, "invocation_id"), u"inv-keyless-1"_s);
        QCOMPARE(stringField(summary, "result"), u"Clean answer."_s);
        QVERIFY(!r.out.contains(u"private"_s));
    }

    void verboseStreamNamesKeylessFinishesByTheirStart()
    {
        // The same run streamed with -v: each "step finished" that names no step closes
        // the innermost started one, so the progress line says which (never an empty name).
        test::PlainInvokeServer plain;
        QVERIFY(plain.listen());
        BotInfo bot;
        bot.key = u"tidy"_s;
        bot.name = u"Tidy"_s;
        plain.addBot(bot, test::PlainScript::stream(test::PlainInvokeServer::keylessFinishRun(u"Tidy"_s)));
        const test::CliRun r = cli({u"invoke"_s, u"tidy"_s, u"-m"_s, u"tidy this"_s, u"--stream"_s, u"-v"_s,
                                    u"--no-history"_s, u"--endpoint"_s, plain.endpoint()});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
        QVERIFY2(r.err.contains(u"\n▸ tidy (utils.write)\n"_s), qPrintable(r.err));
        QVERIFY2(r.err.contains(u"\n✓ tidy\n"_s), qPrintable(r.err));
        QVERIFY2(!r.err.contains(u"✓ \n"_s) && !r.err.contains(u"✓\n"_s), qPrintable(r.err));
        QVERIFY2(!r.err.contains(u"think"_s), qPrintable(r.err)); // hidden: neither start nor end shown
        QCOMPARE(r.out, u"Clean answer.\n"_s);
    }
};

QTEST_GUILESS_MAIN(TestSdkConformance)
#include "tst_sdkconformance.moc"
