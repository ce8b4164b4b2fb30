// Copy as code: the curl command really runs (sh + curl) against a loopback server and
// sends the exact body and the token from the environment; the invoke-cli command
// passes the exact words through sh; the Python snippet really runs against a stand-in
// `erdo` module and calls invoke() with the request's values. The token never appears
// in any of the texts.
#include "core/format/requestsnippets.h"
#include "core/wire/requestcodec.h"
#include "tests/support/plaininvokeserver.h"
#include "tests/support/snippetfixtures.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QProcess>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

using namespace Qt::StringLiterals;
using namespace invoke;

namespace {

const QString kToken = u"tok-snippet-0123456789abcdef"_s;

bool writeFile(const QString &path, const QByteArray &bytes, bool executable = false)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    file.write(bytes);
    file.close();
    if (executable)
        file.setPermissions(file.permissions() | QFileDevice::ExeOwner);
    return true;
}

} // namespace

class TestRequestSnippets : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void shellQuote_data()
    {
        QTest::addColumn<QString>("word");
        QTest::addColumn<QString>("quoted");
        QTest::newRow("plain") << u"chat"_s << u"chat"_s;
        QTest::newRow("url") << u"http://127.0.0.1:8642"_s << u"http://127.0.0.1:8642"_s;
        QTest::newRow("empty") << QString() << u"''"_s;
        QTest::newRow("space") << u"two words"_s << u"'two words'"_s;
        QTest::newRow("dollar") << u"$HOME"_s << u"'$HOME'"_s;
        QTest::newRow("quote") << u"it's"_s << u"'it'\\''s'"_s;
        QTest::newRow("unicode") << u"thé"_s << u"'thé'"_s;
    }
    void shellQuote()
    {
        QFETCH(QString, word);
        QFETCH(QString, quoted);
        QCOMPARE(format::shellQuote(word), quoted);
    }

    void pythonLiterals()
    {
        QCOMPARE(format::pythonLiteral(Json(nullptr)), u"None"_s);
        QCOMPARE(format::pythonLiteral(Json(true)), u"True"_s);
        QCOMPARE(format::pythonLiteral(Json("a\"b\n")), u"\"a\\\"b\\n\""_s);
        QCOMPARE(format::pythonLiteral(Json{{"a", Json::array({1, false})}}),
                 u"{\n    \"a\": [\n        1,\n        False,\n    ],\n}"_s);
    }

    void curlRunsAndSendsTheRequest()
    {
        test::PlainInvokeServer server;
        QVERIFY(server.listen());
        server.setToken(kToken);
        const InvokeRequest request = test::trickyRequest();
        BotInfo bot;
        bot.key = request.botKey;
        server.addBot(bot, test::PlainScript::stream(test::PlainInvokeServer::plainRun(u"R"_s, {u"ok"_s})));

        format::SnippetTarget target;
        target.endpoint = server.endpoint() + u'/';
        const QString curl = format::curlCommand(request, target);
        QVERIFY(!curl.contains(kToken));
        QVERIFY(curl.contains(u"$INVOKE_AUTH_TOKEN"_s));

        QProcess sh;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"INVOKE_AUTH_TOKEN"_s, kToken);
        sh.setProcessEnvironment(env);
        sh.start(u"sh"_s, {u"-c"_s, curl});
        QVERIFY(sh.waitForStarted());
        QTRY_COMPARE_WITH_TIMEOUT(sh.state(), QProcess::NotRunning, 30000);
        QCOMPARE(sh.exitCode(), 0);
        const QByteArray out = sh.readAllStandardOutput();
        QVERIFY2(out.contains("\"step finished\""), out.constData());

        QCOMPARE(server.requests().size(), 1);
        const test::RecordedRequest sent = server.requests().first(); // a copy: requests() returns a new list
        QCOMPARE(sent.method, "POST");
        QCOMPARE(sent.path, "/bots/research-assistant/invoke");
        QCOMPARE(sent.header("authorization"), "Bearer " + kToken.toUtf8());
        QCOMPARE(sent.header("accept"), "text/event-stream");
        QCOMPARE(sent.json(), wire::requestBody(request));
    }

    void curlForTheEmbeddedEngineSaysWhereItGoes()
    {
        const QString curl = format::curlCommand(test::trickyRequest(), {});
        QVERIFY(curl.startsWith(u"# The embedded engine has no HTTP address"_s));
        QVERIFY(curl.contains(u"curl -N -X POST http://127.0.0.1:8642/bots/research-assistant/invoke \\\n"_s));
        QProcess sh;
        sh.start(u"sh"_s, {u"-n"_s, u"-c"_s, curl});
        QVERIFY(sh.waitForFinished(20000));
        QCOMPARE(sh.exitCode(), 0);
    }

    void cliWordsSurviveTheShell()
    {
        QTemporaryDir dir;
        QVERIFY(writeFile(dir.filePath(u"invoke-cli"_s), test::argvPrinter(), true));
        const InvokeRequest request = test::trickyRequest();
        format::SnippetTarget target;
        target.endpoint = u"http://127.0.0.1:8642"_s;
        const QString command = format::cliCommand(request, target);
        QVERIFY(command.startsWith(u"# The token is read from $INVOKE_AUTH_TOKEN.\ninvoke-cli invoke "_s));

        QProcess sh;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"PATH"_s, dir.path() + u':' + env.value(u"PATH"_s));
        sh.setProcessEnvironment(env);
        sh.start(u"sh"_s, {u"-c"_s, command});
        QVERIFY(sh.waitForFinished(20000));
        QCOMPARE(sh.exitCode(), 0);
        QStringList words;
        for (const QByteArray &line : sh.readAllStandardOutput().split('\n'))
            if (!line.isEmpty())
                words << toQString(parseJson(line).get<std::string>());
        const QStringList expected{
            u"invoke"_s, u"research-assistant"_s,
            u"-m"_s, u"system: "_s + request.messages[0].content,
            u"-m"_s, request.messages[1].content,
            u"-m"_s, u"assistant: Hello!\nTwo lines."_s,
            u"-m"_s, u"user: assistant: not a role prefix"_s,
            u"-p"_s, QString::fromUtf8(dumpJson(request.parameters)),
            u"-d"_s, u"recipes,notes-2024"_s,
            u"--mode"_s, u"replay"_s, u"--refresh"_s,
            u"--endpoint"_s, u"http://127.0.0.1:8642"_s};
        QCOMPARE(words, expected);
    }

    void cliModesAndTargets()
    {
        InvokeRequest request;
        request.botKey = u"chat"_s;
        request.messages = {Message::user(u"hi"_s)};
        QCOMPARE(format::cliCommand(request, {}), u"invoke-cli invoke chat -m hi\n"_s);
        request.mode = Mode::manual();
        format::SnippetTarget target;
        target.mockFile = u"/tmp/my mocks.json"_s;
        target.profileName = u"staging"_s;
        QCOMPARE(format::cliCommand(request, target),
                 u"invoke-cli invoke chat -m hi --mode manual --mocks '/tmp/my mocks.json' --profile staging\n"_s);
    }

    void pythonCallsTheSdk()
    {
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkpath(u"erdo"_s));
        QVERIFY(writeFile(dir.filePath(u"erdo/__init__.py"_s), test::erdoStub()));
        const InvokeRequest request = test::trickyRequest();
        format::SnippetTarget target;
        target.endpoint = u"https://invoke.example.org/api"_s;
        const QString snippet = format::pythonSnippet(request, target);
        QVERIFY(snippet.contains(u"from erdo import invoke"_s));
        QVERIFY(snippet.contains(u"auth_token=os.environ[\"INVOKE_AUTH_TOKEN\"]"_s));
        QVERIFY(!snippet.contains(kToken));
        QVERIFY(writeFile(dir.filePath(u"snippet.py"_s), snippet.toUtf8()));

        QProcess python;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"PYTHONPATH"_s, dir.path());
        env.insert(u"PYTHONIOENCODING"_s, u"utf-8"_s);
        env.insert(u"INVOKE_AUTH_TOKEN"_s, kToken);
        env.insert(u"SNIPPET_OUT"_s, dir.filePath(u"call.json"_s));
        python.setProcessEnvironment(env);
        python.start(u"python3"_s, {dir.filePath(u"snippet.py"_s)});
        QVERIFY2(python.waitForFinished(30000), "python3 runs the snippet");
        QVERIFY2(python.exitCode() == 0, python.readAllStandardError().constData());

        QFile call(dir.filePath(u"call.json"_s));
        QVERIFY(call.open(QIODevice::ReadOnly));
        const Json got = parseJson(call.readAll());
        const Json body = wire::requestBody(request);
        QCOMPARE(got["bot_key"], Json("research-assistant"));
        QCOMPARE(got["messages"], body["messages"]);
        QCOMPARE(got["parameters"], body["parameters"]);
        QCOMPARE(got["datasets"], body["dataset_slugs"]);
        QCOMPARE(got["mode"], (Json{{"mode", "replay"}, {"refresh", true}}));
        QCOMPARE(got["endpoint"], Json("https://invoke.example.org/api"));
        QCOMPARE(got["auth_token"], Json(toStd(kToken)));
        QVERIFY(!got.contains("manual_mocks"));
    }
};

QTEST_GUILESS_MAIN(TestRequestSnippets)
#include "tst_requestsnippets.moc"
