// codeexec.execute with real python3 processes, in the bubblewrap sandbox (which must
// work where these tests run: root in CI, or a user with user namespaces) and in the
// rlimit fallback. Every claim of the sandbox is shown by a program that tries to break
// it; nothing is timed (a slow box only waits longer).
#include "core/backend/invocation.h"
#include "core/backend/localbackend.h"
#include "core/engine/actionregistry.h"
#include "core/engine/actions/codeexec.h"
#include "tests/support/jsontext.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QDir>
#include <QtCore/QFloat16> // complete, so QCOMPARE on Json can rule its overload out
#include <QtCore/QFile>
#include <QtCore/QScopeGuard>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtCore/QThread>
#include <QtCore/QUuid>
#include <QtNetwork/QTcpServer>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <fcntl.h>
#include <unistd.h>

// QCOMPARE prints Json values as their compact text.
namespace nlohmann {
inline char *toString(const json &value)
{
    return qstrdup(value.dump(-1, ' ', false, json::error_handler_t::replace).c_str());
}
} // namespace nlohmann

using namespace Qt::StringLiterals;
using namespace invoke;
using namespace invoke::engine;
using invoke::test::jsonText;

namespace {

class TestContext : public ActionContext
{
public:
    void emitContent(const QString &) override {}
    void emitStatus(const QString &, const QString &) override {}
    const CancelToken &cancelToken() const override { return token; }
    const QList<Message> &conversation() const override { return m_messages; }
    QString invocationId() const override { return u"inv-1"_s; }
    QStringList datasets() const override { return {}; }

    CancelToken token;

private:
    QList<Message> m_messages;
};

Json program(const std::string &code, Json parameters = Json::object(), int timeoutSeconds = 60)
{
    return Json{{"entrypoint", "main.py"},
                {"code_files", Json::array({{{"filename", "main.py"}, {"content", code}}})},
                {"parameters", std::move(parameters)},
                {"timeout_seconds", timeoutSeconds}};
}

ActionCall call(Json parameters)
{
    ActionCall c;
    c.botKey = u"bot"_s;
    c.stepPath = c.stepKey = u"run"_s;
    c.actionType = u"codeexec.execute"_s;
    c.parameters = std::move(parameters);
    return c;
}

// The rlimit kind runs only when unsandboxed code is allowed: these tests opt in.
CodeExecAction::Options options(bool bubblewrap)
{
    CodeExecAction::Options o;
    o.sandbox.allowBubblewrap = bubblewrap;
    o.sandbox.allowUnsandboxed = !bubblewrap;
    return o;
}

// The codeexec work folders in the host's temporary folder.
QStringList hostWorkFolders()
{
    return QDir::temp().entryList({u"invoke-codeexec-*"_s}, QDir::AllEntries | QDir::Hidden | QDir::System);
}

QString text(const Json &output, const char *field)
{
    return stringField(output, field);
}

// Processes whose command line holds `marker` (the sandboxed ones are visible from here:
// a pid namespace hides the outside from the inside, not the other way round).
bool processWithMarker(const QString &marker)
{
    const QByteArray needle = marker.toUtf8();
    const QStringList pids = QDir(u"/proc"_s).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &pid : pids) {
        if (pid.toInt() <= 0 || pid.toInt() == getpid())
            continue;
        QFile file(u"/proc/%1/cmdline"_s.arg(pid));
        if (file.open(QIODevice::ReadOnly) && file.readAll().contains(needle))
            return true;
    }
    return false;
}

} // namespace

class TestCodeExec : public QObject
{
    Q_OBJECT

private:
    TestContext m_context;

    ActionOutcome run(const Json &parameters, bool bubblewrap = true)
    {
        CodeExecAction action(options(bubblewrap));
        return action.run(call(parameters), m_context);
    }

private Q_SLOTS:
    void initTestCase();
    void bubblewrapWorksHere();
    void successWithOutputAndFiles_data();
    void successWithOutputAndFiles();
    void nonZeroExit();
    void timeoutKillsTheProgram();
    void networkBlocked();
    void fallbackSaysTheNetworkIsNotBlocked();
    void memoryLimit_data();
    void memoryLimit();
    void fileSizeAndProcessLimits();
    void outputOverTheCapIsMarked();
    void writingOutsideTheWorkingFolderIsRefused();
    void badParameters_data();
    void badParameters();
    void cancelKillsTheProgram();
    void defaultsAreExplicit();
    void exampleBotEndToEnd();
    void exampleBotInManualMode();
    void nothingOfTheHostInside();
    void sizeCapsHold();
    void oddFileNamesAreListedEscapedAndRemoved_data();
    void oddFileNamesAreListedEscapedAndRemoved();
    void withoutBubblewrapCodeIsRefusedUnlessAllowed();
};

void TestCodeExec::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    qRegisterMetaType<InvokeResult>();
    qRegisterMetaType<QList<Event>>();
    QVERIFY2(!Sandbox().python().isEmpty(), "python3 is needed by these tests");
}

void TestCodeExec::bubblewrapWorksHere()
{
    // The tests below prove the bubblewrap sandbox: it must be usable where they run
    // (scripts/install-deps.sh installs bwrap).
    QString why;
    QCOMPARE(Sandbox().kind(&why), SandboxKind::Bubblewrap);
    QVERIFY(why.isEmpty());
    Sandbox::Options off;
    off.allowBubblewrap = false;
    QCOMPARE(Sandbox(off).kind(&why), SandboxKind::Rlimit);
    Sandbox::Options missing;
    missing.bwrapProgram = u"/nonexistent/bwrap"_s;
    QCOMPARE(Sandbox(missing).kind(&why), SandboxKind::Rlimit);
    QVERIFY2(why.contains(u"bwrap"_s), qPrintable(why));
}

void TestCodeExec::successWithOutputAndFiles_data()
{
    QTest::addColumn<bool>("bubblewrap");
    QTest::newRow("bubblewrap") << true;
    QTest::newRow("rlimit") << false;
}

void TestCodeExec::successWithOutputAndFiles()
{
    QFETCH(bool, bubblewrap);
    const std::string code =
        "import json, os, sys\n"
        "from helpers.words import shout\n"
        "p = json.load(open('parameters.json'))\n"
        "same = json.load(sys.stdin) == p\n"
        "print(shout(p['name']), p['n'] * 2, same)\n"
        "print('a warning', file=sys.stderr)\n"
        "open('result.txt', 'w').write('sum=%d\\n' % sum(p['values']))\n"
        "os.makedirs('out', exist_ok=True)\n"
        "open('out/data.bin', 'wb').write(bytes(range(256)))\n"
        "os.symlink('/etc/hostname', 'link')\n";
    Json parameters = program(code, {{"name", "ada"}, {"n", 21}, {"values", {1, 2, 3}}});
    parameters["code_files"].push_back({{"filename", "helpers/words.py"},
                                        {"content", "def shout(s):\n    return s.upper()\n"}});
    const ActionOutcome out = run(parameters, bubblewrap);
    QVERIFY2(out.ok, qPrintable(out.error));
    QCOMPARE(text(out.output, "output"), u"ADA 42 True\n"_s);
    QCOMPARE(text(out.output, "error"), u"a warning\n"_s);
    QCOMPARE(out.output["exit_code"], Json(0));
    QCOMPARE(out.output["timed_out"], Json(false));
    QCOMPARE(text(out.output, "sandbox"), bubblewrap ? u"bubblewrap"_s : u"rlimit"_s);
    QCOMPARE(out.output.contains("warning"), !bubblewrap);

    // New files only (main.py, helpers/words.py and parameters.json are unchanged
    // inputs); the binary one without content; the link listed, never followed.
    const Json expected = Json::array({
        {{"name", "link"}, {"symlink", true}},
        {{"name", "out/data.bin"}, {"size", 256}},
        {{"name", "result.txt"}, {"size", 6}, {"content", "sum=6\n"}},
    });
    QCOMPARE(jsonText(out.output["files"]), jsonText(expected));
}

void TestCodeExec::nonZeroExit()
{
    const ActionOutcome out = run(program("import sys\nprint('partial result')\n"
                                          "raise SystemExit('the input was bad: no numbers')\n"));
    QVERIFY(!out.ok);
    QVERIFY2(out.error.startsWith(u"codeexec.execute: the program exited with code 1:\n"_s), qPrintable(out.error));
    QVERIFY2(out.error.endsWith(u"the input was bad: no numbers"_s), qPrintable(out.error));
    // The output object is kept: the step still shows what the program printed.
    QCOMPARE(text(out.output, "output"), u"partial result\n"_s);
    QCOMPARE(out.output["exit_code"], Json(1));

    const ActionOutcome crash = run(program("def f():\n    raise ValueError('deep down')\nf()\n"));
    QVERIFY(!crash.ok);
    QVERIFY2(crash.error.contains(u"Traceback"_s) && crash.error.endsWith(u"ValueError: deep down"_s),
             qPrintable(crash.error));
}

void TestCodeExec::timeoutKillsTheProgram()
{
    // A child that ignores SIGTERM and sleeps on: the whole group goes at the timeout.
    const QString marker = u"sleeper_"_s + QUuid::createUuid().toString(QUuid::Id128);
    const std::string code = "import signal, subprocess, time\n"
                             "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
                             "subprocess.Popen(['python3', '-c', 'import time; time.sleep(600)', '"
        + toStd(marker) + "'])\nprint('started', flush=True)\ntime.sleep(600)\n";
    for (const bool bubblewrap : {true, false}) {
        const ActionOutcome out = run(program(code, Json::object(), 2), bubblewrap);
        QVERIFY(!out.ok);
        QVERIFY2(out.error.startsWith(u"codeexec.execute: timed out after 2 s: the program was killed"_s),
                 qPrintable(out.error));
        QCOMPARE(out.output["timed_out"], Json(true));
        QCOMPARE(out.output["exit_code"], Json());
        QCOMPARE(text(out.output, "output"), u"started\n"_s);
        QTRY_VERIFY_WITH_TIMEOUT(!processWithMarker(marker), 30000);
    }
}

void TestCodeExec::networkBlocked()
{
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost));
    const std::string code =
        "import json, socket\n"
        "port = json.load(open('parameters.json'))['port']\n"
        "try:\n"
        "    socket.create_connection(('127.0.0.1', port), timeout=20).close()\n"
        "    print('connected')\n"
        "except OSError as e:\n"
        "    print('blocked:', e)\n";
    const ActionOutcome out = run(program(code, {{"port", server.serverPort()}}));
    QVERIFY2(out.ok, qPrintable(out.error));
    QVERIFY2(text(out.output, "output").startsWith(u"blocked:"_s), qPrintable(text(out.output, "output")));
    QCOMPARE(text(out.output, "network"), u"blocked"_s);
    QVERIFY(!server.waitForNewConnection(0));
    QVERIFY(!server.hasPendingConnections());
}

void TestCodeExec::fallbackSaysTheNetworkIsNotBlocked()
{
    // The rlimit sandbox cannot block the network: the same program gets through, and the
    // output says so plainly.
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost));
    const std::string code = "import json, socket\n"
                             "port = json.load(open('parameters.json'))['port']\n"
                             "socket.create_connection(('127.0.0.1', port), timeout=20).close()\n"
                             "print('connected')\n";
    const ActionOutcome out = run(program(code, {{"port", server.serverPort()}}), false);
    QVERIFY2(out.ok, qPrintable(out.error));
    QCOMPARE(text(out.output, "output"), u"connected\n"_s);
    QCOMPARE(text(out.output, "sandbox"), u"rlimit"_s);
    QCOMPARE(text(out.output, "network"), u"not blocked"_s);
    QVERIFY2(text(out.output, "warning").contains(u"the network is NOT blocked"_s),
             qPrintable(text(out.output, "warning")));
    QVERIFY(server.waitForNewConnection(10000) || server.hasPendingConnections());
}

void TestCodeExec::memoryLimit_data()
{
    successWithOutputAndFiles_data();
}

void TestCodeExec::memoryLimit()
{
    QFETCH(bool, bubblewrap);
    const ActionOutcome out = run(program("print('before')\nb = bytearray(1024 ** 3)\nprint('after')\n"), bubblewrap);
    QVERIFY(!out.ok);
    QVERIFY2(out.error.endsWith(u"MemoryError"_s), qPrintable(out.error));
    QCOMPARE(text(out.output, "output"), u"before\n"_s);
}

void TestCodeExec::fileSizeAndProcessLimits()
{
    // 20 MiB into one file stops at the 16 MiB limit; forking stops at the process limit.
    const std::string code =
        "import os, time\n"
        "try:\n"
        "    with open('big.bin', 'wb') as f:\n"
        "        f.write(b'x' * (20 * 1024 * 1024))\n"
        "    print('wrote it all')\n"
        "except OSError as e:\n"
        "    print('file:', e.strerror)\n"
        "children = []\n"
        "for _ in range(100):\n"
        "    try:\n"
        "        pid = os.fork()\n"
        "    except OSError:\n"
        "        break\n"
        "    if pid == 0:\n"
        "        time.sleep(60)\n"
        "        os._exit(0)\n"
        "    children.append(pid)\n"
        "print('forked', len(children))\n"
        "for pid in children:\n"
        "    os.kill(pid, 9)\n"
        "    os.waitpid(pid, 0)\n";
    const ActionOutcome out = run(program(code));
    QVERIFY2(out.ok, qPrintable(out.error));
    const QStringList lines = text(out.output, "output").trimmed().split(u'\n');
    QCOMPARE(lines.size(), 2);
    QCOMPARE(lines[0], u"file: File too large"_s);
    QVERIFY2(lines[1].startsWith(u"forked "_s), qPrintable(lines[1]));
    const int forked = lines[1].mid(7).toInt();
    QVERIFY2(forked > 0 && forked < SandboxLimits().processes, qPrintable(lines[1]));
}

void TestCodeExec::outputOverTheCapIsMarked()
{
    // 200 KiB of stdout, a little stderr: stdout keeps its start and end around a marker.
    const ActionOutcome out = run(program("import sys\n"
                                          "for i in range(200):\n"
                                          "    print('line %03d ' % i + 'x' * 1015)\n"
                                          "print('the end')\n"
                                          "print('small', file=sys.stderr)\n"));
    QVERIFY2(out.ok, qPrintable(out.error));
    const QString output = text(out.output, "output");
    QVERIFY(output.startsWith(u"line 000 "_s));
    QVERIFY(output.endsWith(u"the end\n"_s));
    QVERIFY2(output.contains(u"bytes cut here"_s), qPrintable(output.left(200)));
    QVERIFY(output.size() < 66 * 1024 + 200);
    QVERIFY(!output.contains(u"line 100 "_s));
    QCOMPARE(text(out.output, "error"), u"small\n"_s);
}

void TestCodeExec::writingOutsideTheWorkingFolderIsRefused()
{
    QTemporaryDir outside;
    QVERIFY(outside.isValid());
    QVERIFY(QFile::setPermissions(outside.path(), QFileDevice::Permissions(0x7777))); // even world-writable
    const QString target = outside.filePath(u"escaped.txt"_s);
    const std::string code =
        "import json, os\n"
        "for path in json.load(open('parameters.json'))['paths']:\n"
        "    try:\n"
        "        open(path, 'w').write('escaped')\n"
        "        print('wrote', path)\n"
        "    except OSError as e:\n"
        "        print('refused', path, e.strerror)\n";
    const Json paths = Json::array({toStd(target), "../escaped.txt", "/usr/escaped.txt", "/escaped.txt"});
    const ActionOutcome out = run(program(code, {{"paths", paths}}));
    QVERIFY2(out.ok, qPrintable(out.error));
    const QStringList lines = text(out.output, "output").trimmed().split(u'\n');
    QCOMPARE(lines.size(), 4);
    for (const QString &line : lines)
        QVERIFY2(line.startsWith(u"refused "_s), qPrintable(line));
    QVERIFY(!QFile::exists(target));
    QVERIFY(!QFile::exists(QDir::temp().filePath(u"escaped.txt"_s)));
    QVERIFY(!QFile::exists(u"/usr/escaped.txt"_s));
    QVERIFY(!QFile::exists(u"/escaped.txt"_s));
}

void TestCodeExec::badParameters_data()
{
    QTest::addColumn<QByteArray>("parameters");
    QTest::addColumn<QString>("error");
    const auto files = [](const Json &list, const char *entry = "main.py") {
        return QByteArray::fromStdString(Json{{"entrypoint", entry}, {"code_files", list}}.dump());
    };
    const auto one = [&](const char *name) {
        return files(Json::array({{{"filename", name}, {"content", "print(1)"}}}), name);
    };
    QTest::newRow("absolute") << one("/tmp/main.py") << u"code_files[0]: \"/tmp/main.py\" is an absolute path"_s;
    QTest::newRow("dot-dot") << one("../main.py") << u"code_files[0]: \"../main.py\" has a \"..\" part"_s;
    QTest::newRow("inner dot-dot") << one("a/../../main.py") << u"has a \"..\" part"_s;
    QTest::newRow("dot") << one("./main.py") << u"has a \".\" part"_s;
    QTest::newRow("empty part") << one("a//main.py") << u"has an empty part"_s;
    QTest::newRow("empty") << one("") << u"code_files[0]: the file name is empty"_s;
    QTest::newRow("backslash") << one("a\\main.py") << u"contains a backslash"_s;
    QTest::newRow("reserved") << one("parameters.json") << u"\"parameters.json\" is where the parameters go"_s;
    QTest::newRow("twice") << files(Json::array({{{"filename", "main.py"}, {"content", ""}},
                                                 {{"filename", "main.py"}, {"content", ""}}}))
                           << u"code_files[1]: \"main.py\" is given twice"_s;
    QTest::newRow("no files") << files(Json::array()) << u"\"code_files\" must be a non-empty array"_s;
    QTest::newRow("not a string") << files(Json::array({{{"filename", "main.py"}, {"content", 3}}}))
                                  << u"code_files[0] must be {\"filename\": string, \"content\": string}"_s;
    QTest::newRow("unknown entrypoint") << files(Json::array({{{"filename", "a.py"}, {"content", ""}}}), "b.py")
                                        << u"the entrypoint \"b.py\" is not one of the code_files (a.py)"_s;
    const Json two = Json::array({{{"filename", "a.py"}, {"content", ""}}, {{"filename", "b.py"}, {"content", ""}}});
    QTest::newRow("no entrypoint") << QByteArray::fromStdString(Json{{"code_files", two}}.dump())
                                   << u"\"entrypoint\" is missing"_s;
    const Json a = Json::array({{{"filename", "a.py"}, {"content", ""}}});
    QTest::newRow("bad timeout") << QByteArray::fromStdString(Json{{"code_files", a}, {"timeout_seconds", 0}}.dump())
                                 << u"\"timeout_seconds\" must be a number above 0"_s;
}

void TestCodeExec::badParameters()
{
    QFETCH(QByteArray, parameters);
    QFETCH(QString, error);
    const ActionOutcome out = run(parseJson(parameters));
    QVERIFY(!out.ok);
    QVERIFY2(out.error.startsWith(u"codeexec.execute: "_s) && out.error.contains(error), qPrintable(out.error));
    QVERIFY(out.output.is_null()); // refused before anything ran
}

void TestCodeExec::cancelKillsTheProgram()
{
    const QString marker = u"cancelme_"_s + QUuid::createUuid().toString(QUuid::Id128);
    const std::string code = "import time\ntime.sleep(600)\n";
    Json parameters = program(code, Json::object(), 300);
    parameters["entrypoint"] = toStd(marker + u".py"_s);
    parameters["code_files"][0]["filename"] = parameters["entrypoint"];

    CodeExecAction action(options(true));
    TestContext context;
    ActionOutcome out;
    QAtomicInt done = 0;
    std::unique_ptr<QThread> worker(QThread::create([&] {
        out = action.run(call(parameters), context);
        done.storeRelease(1);
    }));
    worker->start();
    QTRY_VERIFY_WITH_TIMEOUT(processWithMarker(marker), 60000);
    context.token.cancel();
    QTRY_VERIFY_WITH_TIMEOUT(done.loadAcquire() == 1, 60000);
    worker->wait();
    QVERIFY(!out.ok);
    QCOMPARE(out.error, u"codeexec.execute: cancelled: the program was killed"_s);
    QTRY_VERIFY_WITH_TIMEOUT(!processWithMarker(marker), 30000);
}

void TestCodeExec::defaultsAreExplicit()
{
    CodeExecAction action(options(true));
    const Json rendered{{"code_files", Json::array({{{"filename", "only.py"}, {"content", "print(1)"}}})}};
    const Json effective = action.effectiveParameters(rendered, m_context);
    QCOMPARE(text(effective, "entrypoint"), u"only.py"_s);
    QCOMPARE(effective["parameters"], Json::object());
    QCOMPARE(effective["timeout_seconds"], Json(30));
    // The only code file runs without an entrypoint; a huge timeout is capped.
    Json capped = rendered;
    capped["timeout_seconds"] = 1e9;
    const ActionOutcome out = run(capped);
    QVERIFY2(out.ok, qPrintable(out.error));
    QCOMPARE(text(out.output, "output"), u"1\n"_s);
}

void TestCodeExec::exampleBotEndToEnd()
{
    QTemporaryDir cache;
    LocalBackend::Options o;
    o.botFolders = {u":/bots"_s};
    o.replayCacheFile = cache.filePath(u"replay.sqlite"_s);
    LocalBackend backend(o);
    for (const Mode &mode : {Mode::live(), Mode::replay()}) {
        InvokeRequest request;
        request.botKey = u"code-calculator"_s;
        request.messages = {Message::user(u"What about 3, 5, 8 and 13?"_s)};
        request.mode = mode;
        Invocation *invocation = backend.invoke(request, this);
        QSignalSpy finished(invocation, &Invocation::finished);
        QVERIFY(finished.wait(120000));
        const InvokeResult result = invocation->result();
        QVERIFY2(result.success, qPrintable(result.error));
        QCOMPARE(result.visibleText(),
                 u"Of your 4 numbers: sum 29, mean 7.25, median 6.5, min 3, max 13, sample standard "
                 "deviation 4.34933. (Computed by stats.py in the bubblewrap sandbox.)"_s);
        QCOMPARE(result.steps.first().path, u"compute"_s);
        QCOMPARE(result.steps.first().source, Source::Live); // codeexec is not cached by default
        const Json &files = result.steps.first().output["files"];
        QCOMPARE(files.size(), std::size_t(1));
        QCOMPARE(text(files[0], "name"), u"result.json"_s);
    }

    // No numbers: the program says why and the run fails at that step.
    InvokeRequest request;
    request.botKey = u"code-calculator"_s;
    request.messages = {Message::user(u"nothing to count"_s)};
    Invocation *invocation = backend.invoke(request, this);
    QSignalSpy finished(invocation, &Invocation::finished);
    QVERIFY(finished.wait(120000));
    const InvokeResult result = invocation->result();
    QVERIFY(!result.success);
    QVERIFY2(result.error.contains(u"no numbers found in 'nothing to count'"_s), qPrintable(result.error));
}

void TestCodeExec::exampleBotInManualMode()
{
    QString error;
    const auto mocks = MockSet::load(u":/mocks/code-calculator.mocks.json"_s, &error);
    QVERIFY2(mocks, qPrintable(error));
    QTemporaryDir cache;
    LocalBackend::Options o;
    o.botFolders = {u":/bots"_s};
    o.replayCacheFile = cache.filePath(u"replay.sqlite"_s);
    LocalBackend backend(o);
    InvokeRequest request;
    request.botKey = u"code-calculator"_s;
    request.messages = {Message::user(u"1 2"_s)}; // the mock answers as for 3 5 8 13
    request.mode = Mode::manual();
    request.manualMocks = *mocks;
    Invocation *invocation = backend.invoke(request, this);
    QSignalSpy finished(invocation, &Invocation::finished);
    QVERIFY(finished.wait(60000));
    const InvokeResult result = invocation->result();
    QVERIFY2(result.success, qPrintable(result.error));
    QVERIFY2(result.visibleText().startsWith(u"Of your 4 numbers: sum 29, mean 7.25"_s),
             qPrintable(result.visibleText()));
    QCOMPARE(result.steps.first().source, Source::Mock);
}

void TestCodeExec::nothingOfTheHostInside()
{
    // Canaries in this (the engine's) environment: bwrap must not carry them in.
    const QByteArray canary = "canary-" + QUuid::createUuid().toString(QUuid::Id128).toLatin1();
    const QList<QByteArray> names{"INVOKE_LLM_API_KEY", "INVOKE_AUTH_TOKEN", "INVOKE_TEST_MADE_UP_SECRET"};
    for (const QByteArray &name : names)
        qputenv(name.constData(), canary + '-' + name);
    const auto restore = qScopeGuard([&] {
        for (const QByteArray &name : names)
            qunsetenv(name.constData());
    });
    // A host file this process holds open without close-on-exec: it must not be handed on.
    QTemporaryDir scratch;
    QVERIFY(scratch.isValid());
    const QString leakName = u"leaked-"_s + QString::fromLatin1(canary);
    QFile leak(scratch.filePath(leakName));
    QVERIFY(leak.open(QIODevice::WriteOnly));
    leak.close();
    const int leakedFd = ::open(QFile::encodeName(leak.fileName()).constData(), O_RDONLY); // no O_CLOEXEC
    QVERIFY(leakedFd >= 0);
    const auto closeLeak = qScopeGuard([leakedFd] { ::close(leakedFd); });
    // Everything of /proc/*/environ and /proc/*/cmdline the program can open, as hex, and
    // where every descriptor it can see points.
    const std::string code =
        "import json, os\n"
        "seen = {}\n"
        "for pid in os.listdir('/proc'):\n"
        "    if pid.isdigit() or pid in ('self', 'thread-self'):\n"
        "        for part in ('environ', 'cmdline'):\n"
        "            try:\n"
        "                seen['%s/%s' % (pid, part)] = open('/proc/%s/%s' % (pid, part), 'rb').read().hex()\n"
        "            except OSError:\n"
        "                pass\n"
        "        try:\n"
        "            for fd in os.listdir('/proc/%s/fd' % pid):\n"
        "                seen['%s/fd/%s' % (pid, fd)] = os.fsencode(os.readlink('/proc/%s/fd/%s' % (pid, fd))).hex()\n"
        "        except OSError:\n"
        "            pass\n"
        "print(json.dumps(seen))\n";
    const ActionOutcome out = run(program(code));
    QVERIFY2(out.ok, qPrintable(out.error));
    const Json seen = parseJson(text(out.output, "output").toUtf8());
    QVERIFY(seen.is_object());
    QByteArray all;
    for (const auto &[file, hex] : seen.items())
        all += QByteArray::fromStdString(file) + '\n' + QByteArray::fromHex(QByteArray::fromStdString(hex.get<std::string>())) + '\n';
    // What was read is what the test means: bwrap as pid 1, the program's own environment.
    QVERIFY2(seen.contains("1/cmdline") && seen.contains("1/environ"), qPrintable(QString::fromUtf8(all.left(2000))));
    QVERIFY2(all.contains("--args"), qPrintable(QString::fromUtf8(all.left(2000))));
    QVERIFY2(all.contains("HOME=/workspace"), qPrintable(QString::fromUtf8(all.left(2000))));
    QVERIFY2(seen.contains("1/fd/0"), qPrintable(QString::fromUtf8(all.left(2000)))); // descriptors were read
    QVERIFY2(!all.contains(canary), qPrintable(QString::fromUtf8(all)));
    const QStringList hostPaths{QDir::homePath(), QCoreApplication::applicationDirPath(),
                                QDir::tempPath() + u"/invoke-"_s, QDir::currentPath(),
                                QStringLiteral(INVOKE_BIN_DIR), QStringLiteral(INVOKE_SOURCE_DIR)};
    for (const QString &path : hostPaths) {
        if (path == u"/"_s || path.isEmpty())
            continue;
        QVERIFY2(!all.contains(QFile::encodeName(path)), qPrintable(path + u" is visible inside:\n"_s + QString::fromUtf8(all)));
    }
}

void TestCodeExec::sizeCapsHold()
{
    // 12 MiB into /tmp and into the work folder, each capped at 8 MiB: the writes stop at
    // the cap with ENOSPC, inside the sandbox; the host keeps nothing.
    CodeExecAction::Options o = options(true);
    o.limits.tmpBytes = 8LL * 1024 * 1024;
    o.limits.workBytes = 8LL * 1024 * 1024;
    const std::string code =
        "import os\n"
        "for path in ('/tmp/fill.bin', 'fill.bin'):\n"
        "    written = 0\n"
        "    try:\n"
        "        with open(path, 'wb') as f:\n"
        "            for _ in range(12):\n"
        "                f.write(b'x' * (1024 * 1024))\n"
        "                f.flush()\n"
        "                written += 1024 * 1024\n"
        "        print(path, 'wrote all', written)\n"
        "    except OSError as e:\n"
        "        print(path, e.strerror, written)\n";
    const QStringList before = hostWorkFolders();
    CodeExecAction action(o);
    const ActionOutcome out = action.run(call(program(code)), m_context);
    QVERIFY2(out.ok, qPrintable(out.error));
    const QStringList lines = text(out.output, "output").trimmed().split(u'\n');
    QCOMPARE(lines.size(), 2);
    for (const QString &line : lines) {
        QVERIFY2(line.contains(u"No space left on device"_s), qPrintable(line));
        // Stopped by the cap: near it, never beyond (the work folder holds the inputs too).
        const qint64 written = line.section(u' ', -1).toLongLong();
        QVERIFY2(written >= 6LL * 1024 * 1024 && written <= 8LL * 1024 * 1024, qPrintable(line));
    }
    // The work folder's file was copied out to the listing (its size), then went with it.
    const Json &files = out.output["files"];
    QCOMPARE(files.size(), std::size_t(1));
    QCOMPARE(text(files[0], "name"), u"fill.bin"_s);
    QVERIFY(files[0]["size"].get<qint64>() > 0 && files[0]["size"].get<qint64>() <= 8LL * 1024 * 1024);
    QCOMPARE(hostWorkFolders(), before);

    // No other way to the host's memory: /dev/shm is capped like /tmp, /dev is read-only,
    // and no nested user namespace (where a tmpfs without a cap could be mounted).
    const std::string around =
        "import ctypes, os\n"
        "for path in ('/dev/shm/fill.bin', '/dev/fill.bin'):\n"
        "    try:\n"
        "        with open(path, 'wb') as f:\n"
        "            for _ in range(12):\n"
        "                f.write(b'x' * (1024 * 1024))\n"
        "                f.flush()\n"
        "        print(path, 'wrote all')\n"
        "    except OSError as e:\n"
        "        print(path, e.strerror)\n"
        "libc = ctypes.CDLL(None, use_errno=True)\n"
        "CLONE_NEWUSER = 0x10000000\n"
        "print('user namespace', 'refused' if libc.unshare(CLONE_NEWUSER) != 0 else 'created')\n"
        "open('/dev/null', 'w').write('still fine')\n";
    const ActionOutcome aroundOut = action.run(call(program(around)), m_context);
    QVERIFY2(aroundOut.ok, qPrintable(aroundOut.error));
    QCOMPARE(text(aroundOut.output, "output"), u"/dev/shm/fill.bin No space left on device\n"
                                                "/dev/fill.bin Read-only file system\n"
                                                "user namespace refused\n"_s);

    // Inputs count against the work folder's cap: too big, the run says so.
    o.limits.workBytes = 1024 * 1024;
    CodeExecAction small(o);
    Json big = program("print('never')\n");
    big["code_files"].push_back({{"filename", "data.txt"}, {"content", std::string(2 * 1024 * 1024, 'y')}});
    const ActionOutcome refused = small.run(call(big), m_context);
    QVERIFY(!refused.ok);
    QVERIFY2(refused.error.contains(u"the input files do not fit in the work folder /workspace"_s), qPrintable(refused.error));
}

void TestCodeExec::oddFileNamesAreListedEscapedAndRemoved_data()
{
    successWithOutputAndFiles_data();
}

void TestCodeExec::oddFileNamesAreListedEscapedAndRemoved()
{
    QFETCH(bool, bubblewrap);
    const std::string code = "open(b'bad\\xff\\x1bname\\\\.txt', 'wb').write(b'odd')\n"
                             "open('caf\u00e9.txt', 'w').write('fine')\n";
    const QStringList before = hostWorkFolders();
    const ActionOutcome out = run(program(code), bubblewrap);
    QVERIFY2(out.ok, qPrintable(out.error));
    const Json expected = Json::array({
        {{"name", "bad\\xff\\x1bname\\\\.txt"}, {"escaped", true}, {"size", 3}, {"content", "odd"}},
        {{"name", "caf\u00e9.txt"}, {"size", 4}, {"content", "fine"}},
    });
    QCOMPARE(jsonText(out.output["files"]), jsonText(expected));
    QCOMPARE(hostWorkFolders(), before); // removed, whatever the bytes of the names
}

void TestCodeExec::withoutBubblewrapCodeIsRefusedUnlessAllowed()
{
    // bwrap missing (sandboxsetup probes the program it is given): refused, saying why
    // and how to allow it; nothing ran.
    CodeExecAction::Options o;
    o.sandbox.bwrapProgram = u"/nonexistent/bwrap"_s;
    const Json code = program("print('ran')\n");
    {
        CodeExecAction action(o);
        const ActionOutcome out = action.run(call(code), m_context);
        QVERIFY(!out.ok);
        QVERIFY2(out.error.startsWith(u"codeexec.execute: refused to run the code: bubblewrap cannot sandbox it here "
                                      "(/nonexistent/bwrap is not an executable file"_s),
                 qPrintable(out.error));
        QVERIFY2(out.error.contains(u"--allow-unsandboxed-code"_s) && out.error.contains(u"sandbox/allow_unsandboxed_code"_s),
                 qPrintable(out.error));
        QVERIFY(out.output.is_null());
    }
    o.sandbox.allowUnsandboxed = true;
    CodeExecAction allowed(o);
    const ActionOutcome out = allowed.run(call(code), m_context);
    QVERIFY2(out.ok, qPrintable(out.error));
    QCOMPARE(text(out.output, "output"), u"ran\n"_s);
    QCOMPARE(text(out.output, "sandbox"), u"rlimit"_s);
    QVERIFY2(text(out.output, "warning").contains(u"the network is NOT blocked"_s), qPrintable(text(out.output, "warning")));
}

QTEST_GUILESS_MAIN(TestCodeExec)
#include "tst_codeexec.moc"
