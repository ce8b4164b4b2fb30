// invoke-server never tells a remote client where its files are. The real
// build/bin/invoke-server over loopback, with a dataset file that is not UTF-8 (its error
// names the file) and, on a second server, a dataset index that cannot be opened (its
// error names the index): the 500 answers of GET /datasets and GET /datasets/{slug}/search
// and a memory.search step's error in a run's events (step_finished and
// invocation_finished) say which file by its name relative to its folder, and no byte of
// any answer holds an absolute path of the server's. The server's log keeps the whole
// message, and invoke-cli on the embedded engine (a local user) still reads the full path.
// A run's own texts too: a code step run outside bubblewrap (in the server's temporary
// folder) prints its folder and a traceback, a later step shows them as a message, a third
// raises; the client reads the tracebacks with the server's folders taken off, and the
// stream still decodes and folds into the same three steps. The server's log line of a
// failed run says why (its paths in full), with no secret (the LLM key, a bearer token, a
// URL's password) and at most 2,000 characters.
// RemotePaths (app/server/routes/remotepaths.h) on its own too: URLs, relative names and
// fractions stay as they are.
#include "app/server/routes/remotepaths.h"
#include "tests/support/cliprocess.h"
#include "tests/support/serverprocess.h"
#include "tests/support/testpaths.h"

#include "core/fold/runfold.h"
#include "core/model/json/json.h"
#include "core/wire/eventcodec.h"

#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QRegularExpression>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkReply>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace invoke;
using namespace invoke::test;

namespace {

const QByteArray kToken = "server-paths-test-token-0123456789";
const QByteArray kNotUtf8 = "{\"text\": \"fine\"}\n{\"text\": \"\xff\xfe broken\"}\n";
// Step "inspect" prints where it runs and a caught traceback (exit 0); "show" writes its
// stdout and stderr as a visible message; "fail" raises, naming its folder.
const QByteArray kTracebackBot =
    "{\"bot\": {\"key\": \"tracer\"}, \"steps\": ["
    "{\"key\": \"inspect\", \"action_type\": \"codeexec.execute\", \"parameters\": {\"code_files\": ["
    "{\"filename\": \"main.py\", \"content\": \"import os, traceback\\nprint('working in ' + os.getcwd())\\n"
    "try:\\n    open(os.path.join(os.getcwd(), 'missing.txt'))\\nexcept OSError:\\n    traceback.print_exc()\\n\"}]}},"
    "{\"key\": \"show\", \"action_type\": \"utils.write\", \"depends_on\": [\"inspect\"],"
    " \"parameters\": {\"content\": \"seen: {{steps.inspect.output}}{{steps.inspect.error}}\"}},"
    "{\"key\": \"fail\", \"action_type\": \"codeexec.execute\", \"depends_on\": [\"show\"], \"parameters\": "
    "{\"code_files\": [{\"filename\": \"boom.py\", \"content\": "
    "\"import os\\nraise RuntimeError('no luck in ' + os.getcwd())\\n\"}]}}]}";
const QByteArray kFinderBot = "{\"bot\": {\"key\": \"finder\"}, \"steps\": [{\"key\": \"search\", \"action_type\": "
                              "\"memory.search\", \"parameters\": {\"query\": \"{{query}}\"}}]}";

struct Answer
{
    int status = 0;
    QByteArray body;
};

// The error texts of a run's SSE body: each step_finished's and invocation_finished's.
QStringList eventErrors(const QByteArray &sse)
{
    QStringList errors;
    for (const QByteArray &line : sse.split('\n')) {
        if (!line.startsWith("data: "))
            continue;
        const Json event = parseJson(line.mid(6));
        const Json &payload = event.value("payload", Json::object());
        const Json &holder = payload.contains("result") ? payload["result"] : payload;
        if (holder.is_object() && holder.value("error", Json()).is_string())
            errors.append(toQString(holder["error"].get<std::string>()));
    }
    return errors;
}

} // namespace

class TstServerPaths : public QObject
{
    Q_OBJECT

private:
    // A home of its own (XDG folders, a bots folder, a datasets folder with a space in
    // its path, as a user's data folder "Invoke Studio" has) and a server on it.
    std::unique_ptr<ServerProcess> startServer(const QString &home);
    Answer send(ServerProcess &server, const QByteArray &method, const QByteArray &target, const QByteArray &body = {});
    // Fails the test when `bytes` hold a path of this machine's the server could know.
    void verifyNoServerPath(const QByteArray &bytes, const QString &home);

    QTemporaryDir m_scratch;
    QNetworkAccessManager m_nam;

private Q_SLOTS:
    void initTestCase();
    void scrubsWhatIsAPath_data();
    void scrubsWhatIsAPath();
    void scrubsARunsTextsOfKnownFoldersOnly();
    void codeStepTracebackNamesNoServerPath();
    void logSaysWhyARunFailedWithoutSecrets();
    void unreadableDatasetNamesNoServerPath();
    void unopenableIndexNamesNoServerPath();
    void localUserReadsTheFullPath();
};

void TstServerPaths::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_scratch.isValid());
    QVERIFY2(QFileInfo(binDir() + u"/invoke-server"_s).isExecutable(),
             "build invoke-server first (it is a dependency of tst_serverpaths)");
}

std::unique_ptr<ServerProcess> TstServerPaths::startServer(const QString &home)
{
    const QString datasets = home + u"/data/Invoke Studio/invoke-studio/datasets"_s; // the server's user datasets
    writeFile(datasets + u"/broken.jsonl"_s, kNotUtf8);
    writeFile(datasets + u"/ships.csv"_s, "ship,fact\nEndurance,crushed by pack ice\n");
    writeFile(home + u"/bots/finder.bot.json"_s, kFinderBot);
    writeFile(home + u"/tokens.txt"_s, kToken + " acme\n");
    return ServerProcess::launch({u"--tokens"_s, home + u"/tokens.txt"_s, u"--bots-dir"_s, home + u"/bots"_s,
                                  u"--cache"_s, home + u"/cache.sqlite"_s},
                                 ServerProcess::scratchEnvironment(home));
}

Answer TstServerPaths::send(ServerProcess &server, const QByteArray &method, const QByteArray &target,
                            const QByteArray &body)
{
    QNetworkRequest request(QUrl::fromEncoded(server.url({}).toEncoded() + target));
    request.setRawHeader("Authorization", "Bearer " + kToken);
    if (!body.isEmpty())
        request.setRawHeader("Content-Type", "application/json");
    QNetworkReply *reply = m_nam.sendCustomRequest(request, method, body);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!reply->isFinished())
        finished.wait(120000);
    Answer answer{reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), reply->readAll()};
    reply->deleteLater();
    return answer;
}

void TstServerPaths::verifyNoServerPath(const QByteArray &bytes, const QString &home)
{
    const QString text = QString::fromUtf8(bytes);
    const QStringList paths{home, QDir::tempPath() + u'/', QDir::homePath() + u'/', binDir(), sourceDir(),
                            QDir::currentPath()};
    for (const QString &path : paths)
        QVERIFY2(!text.contains(path), qPrintable(u"the answer names %1: %2"_s.arg(path, text)));
    // Nor any other absolute path: a slash that starts a word (URLs, "a/b" and "1/2" aside).
    static const QRegularExpression absolute(u"(?<![\\p{L}\\p{N}_.~:/-])/[^\\s\"]"_s); // no raw string: moc
    const QRegularExpressionMatch match = absolute.match(text);
    QVERIFY2(!match.hasMatch(), qPrintable(u"an absolute path at %1: %2"_s.arg(match.capturedStart()).arg(text)));
}

void TstServerPaths::scrubsWhatIsAPath_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("told");
    const QString data = u"/srv/invoke data/datasets"_s; // a served folder with a space in its name
    QTest::newRow("file in a served folder") << data + u"/faq.jsonl:2: the file is not UTF-8 text"_s
                                             << u"faq.jsonl:2: the file is not UTF-8 text"_s;
    QTest::newRow("nested file") << u"cannot read \""_s + data + u"/team/faq.csv\""_s
                                 << u"cannot read \"team/faq.csv\""_s;
    QTest::newRow("the folder itself") << u"the datasets folder "_s + data + u" does not exist"_s
                                       << u"the datasets folder [server folder] does not exist"_s;
    QTest::newRow("as a file URL") << u"see file://"_s + data + u"/a.md"_s << u"see a.md"_s;
    QTest::newRow("another folder's path") << u"cannot open /var/lib/invoke/x.sqlite: denied"_s
                                           << u"cannot open x.sqlite: denied"_s;
    QTest::newRow("a name that only begins like a served folder") << u"/srv/bots-old/a.bot.json"_s
                                                                  << u"a.bot.json"_s;
    QTest::newRow("a URL stays") << u"POST https://api.example.com/v1/chat failed"_s
                                 << u"POST https://api.example.com/v1/chat failed"_s;
    QTest::newRow("a relative name stays") << u"dataset \"a/b\": 1/2 of the rows, and / alone"_s
                                           << u"dataset \"a/b\": 1/2 of the rows, and / alone"_s;
    QTest::newRow("no slash") << u"unknown dataset \"x\" (known: a, b)"_s << u"unknown dataset \"x\" (known: a, b)"_s;
}

void TstServerPaths::scrubsWhatIsAPath()
{
    QFETCH(QString, text);
    QFETCH(QString, told);
    const server::RemotePaths paths({u"/srv/invoke data/datasets"_s, u"/srv/bots"_s});
    QCOMPARE(paths.scrub(text), told);

    // In events: only the error texts change, and an event with nothing to take out is untouched.
    const Json step{{"type", "step_finished"},
                    {"metadata", {{"path", "search"}, {"seq", 2}}},
                    {"payload", {{"status", "step finished"}, {"key", "search"},
                                 {"result", {{"status", "error"}, {"output", nullptr}, {"error", toStd(text)}}}}}};
    const Event given = Event::fromJson(step);
    const std::optional<Event> changed = paths.scrubbed(given);
    QCOMPARE(changed.has_value(), told != text);
    const Event event = changed.value_or(given);
    QCOMPARE(toQString(event.json()["payload"]["result"]["error"].get<std::string>()), told);
    QVERIFY(event.json()["payload"]["key"] == Json("search"));
    QCOMPARE(event.path, u"search"_s);
    QCOMPARE(event.seq, qint64(2));
}

void TstServerPaths::scrubsARunsTextsOfKnownFoldersOnly()
{
    const server::RemotePaths paths({u"/srv/invoke data/datasets"_s, u"/srv/bots"_s});
    QCOMPARE(paths.scrubFolders(u"at /srv/bots/tracer/main.py and /workspace/main.py, GET /v1/users"_s),
             u"at tracer/main.py and /workspace/main.py, GET /v1/users"_s);

    // A code step's output: stdout and stderr lose the server's folders, other paths stay;
    // result.error is scrubbed as an error (any absolute path cut to its last part).
    const Json traceback = "Traceback (most recent call last):\n  File \"/srv/bots/tracer/main.py\", line 2\n"
                           "  File \"/usr/lib/python3/json/decoder.py\", line 9\nValueError: /srv/bots";
    const Json step{{"type", "step_finished"},
                    {"metadata", {{"path", "run"}, {"seq", 4}, {"t_ms", 12},
                                  {"replay_miss", {{"summary", "parameters.dir changed from /srv/bots/a to b"}}}}},
                    {"payload", {{"status", "step finished"}, {"key", "run"}, {"action_type", "codeexec.execute"},
                                 {"result", {{"status", "error"},
                                             {"output", {{"output", "in /srv/bots/tracer"}, {"error", traceback},
                                                         {"files", Json::array({"/srv/bots/x.txt", "/workspace/y.txt"})},
                                                         {"/srv/bots/key.txt", 1}}},
                                             {"error", "codeexec.execute: the program exited with code 1:\n"
                                                       "  File \"/usr/lib/python3/json/decoder.py\""}}}}}};
    const std::optional<Event> told = paths.scrubbed(Event::fromJson(step));
    QVERIFY(told);
    QCOMPARE(told->type, u"step_finished"_s);
    QCOMPARE(told->path, u"run"_s);
    QCOMPARE(told->seq, qint64(4));
    QCOMPARE(told->tMs, qint64(12));
    const Json event = told->json();
    const Json &output = event["payload"]["result"]["output"];
    QVERIFY(output["output"] == Json("in tracer"));
    QCOMPARE(toQString(output["error"].get<std::string>()),
             u"Traceback (most recent call last):\n  File \"tracer/main.py\", line 2\n"
             u"  File \"/usr/lib/python3/json/decoder.py\", line 9\nValueError: [server folder]"_s);
    QVERIFY(output["files"] == Json::array({"x.txt", "/workspace/y.txt"}));
    QVERIFY(output.contains("key.txt") && !output.contains("/srv/bots/key.txt"));
    QCOMPARE(toQString(event["payload"]["result"]["error"].get<std::string>()),
             u"codeexec.execute: the program exited with code 1:\n  File \"decoder.py\""_s);
    QVERIFY(event["metadata"]["replay_miss"]["summary"] == Json("parameters.dir changed from a to b"));
    QVERIFY(event["payload"]["key"] == Json("run"));

    // A text chunk (its payload a string), also when its JSON writes the slashes escaped.
    const Json chunk{{"type", "message_content"},
                     {"metadata", {{"path", "show"}, {"seq", 5}, {"message_content_id", "show"}}},
                     {"payload", "seen: /srv/bots/tracer"}};
    const std::optional<Event> toldChunk = paths.scrubbed(Event::fromJson(chunk));
    QVERIFY(toldChunk);
    QVERIFY(toldChunk->json()["payload"] == Json("seen: tracer"));
    QCOMPARE(toldChunk->seq, qint64(5));
    Event escaped = Event::fromJson(chunk);
    escaped.raw.replace("/", "\\/");
    QVERIFY(escaped.json()["payload"] == Json("seen: /srv/bots/tracer")); // the same event
    const std::optional<Event> toldEscaped = paths.scrubbed(escaped);
    QVERIFY(toldEscaped);
    QVERIFY(toldEscaped->json()["payload"] == Json("seen: tracer"));

    // Nothing of the server's: untouched, and a chunk without a folder's bytes not even changed.
    const Json plain{{"type", "message_content"},
                     {"metadata", {{"path", "show"}, {"seq", 6}}},
                     {"payload", "see /workspace/main.py and https://example.com/v1"}};
    QVERIFY(!paths.scrubbed(Event::fromJson(plain)));
    Json started{{"type", "step_started"},
                 {"metadata", {{"path", "show"}, {"seq", 3}}},
                 {"payload", {{"key", "show"}, {"action_type", "utils.write"},
                              {"parameters", {{"content", "seen: /srv/invoke data/datasets/faq.csv"}}}}}};
    const std::optional<Event> toldStarted = paths.scrubbed(Event::fromJson(started));
    QVERIFY(toldStarted);
    QVERIFY(toldStarted->json()["payload"]["parameters"]["content"] == Json("seen: faq.csv"));
}

void TstServerPaths::codeStepTracebackNamesNoServerPath()
{
    const QString home = m_scratch.filePath(u"traceback"_s);
    writeFile(home + u"/bots/tracer.bot.json"_s, kTracebackBot);
    writeFile(home + u"/tokens.txt"_s, kToken + " acme\n");
    // Without bubblewrap on PATH the code runs in the server's own temporary folder, whose
    // paths its traceback names (python3 is found at /usr/bin/python3 without PATH). The
    // system's /tmp: the program may run as another user, who cannot enter the test's folder.
    QProcessEnvironment env = ServerProcess::scratchEnvironment(home);
    env.insert(u"PATH"_s, home + u"/no-such-bin"_s);
    env.insert(u"HOME"_s, home);
    const auto server = ServerProcess::launch({u"--tokens"_s, home + u"/tokens.txt"_s, u"--bots-dir"_s,
                                               home + u"/bots"_s, u"--cache"_s, home + u"/cache.sqlite"_s,
                                               u"--allow-unsandboxed-code"_s},
                                              env);
    QVERIFY(server);

    const Answer run = send(*server, "POST", "/bots/tracer/invoke", R"({"messages": [{"role": "user", "content": "go"}]})");
    QCOMPARE(run.status, 200);
    // The tracebacks are there, and name the program by its folder under the server's
    // temporary folder.
    QVERIFY2(run.body.contains("Traceback (most recent call last)"), run.body.constData());
    QVERIFY2(run.body.contains("/main.py\\\", line 4"), run.body.constData());
    QVERIFY2(run.body.contains("RuntimeError: no luck in invoke-codeexec-"), run.body.constData());
    QVERIFY2(run.body.contains("seen: working in invoke-codeexec-"), run.body.constData());
    verifyNoServerPath(run.body, home);

    // The scrubbed stream is still a stream: every message an event, and the fold reads
    // the same run (two steps done, the third failed, the message shown).
    wire::EventStreamDecoder decoder;
    QList<Event> events;
    decoder.feed(run.body, events);
    QCOMPARE(decoder.skippedCount(), qint64(0));
    RunFold fold;
    fold.add(events);
    const InvokeResult &result = fold.result();
    QCOMPARE(result.steps.size(), 3);
    QCOMPARE(result.steps[0].status, StepStatus::Success);
    QCOMPARE(result.steps[1].status, StepStatus::Success);
    QCOMPARE(result.steps[2].status, StepStatus::Error);
    QVERIFY2(result.visibleText().startsWith(u"seen: working in invoke-codeexec-"_s), qPrintable(result.visibleText()));
    for (qsizetype i = 0; i < events.size(); ++i)
        QCOMPARE(events[i].seq, qint64(i));
    QVERIFY(!result.error.isEmpty());
    QVERIFY2(!result.error.contains(home), qPrintable(result.error));

    // The operator's log says why the run failed, with the whole path, on the request's line.
    QCOMPARE(server->terminate(), 0);
    const QString log = server->log();
    static const QRegularExpression line(u"POST /bots/tracer/invoke 200 org=acme [^\\n]* error=\"step "_s
                                         u"\\\\\"fail\\\\\" \\(codeexec.execute\\) failed: [^\\n]*"_s
                                         u"RuntimeError: no luck in /tmp/invoke-codeexec-[^\\n]*\"\\n"_s);
    QVERIFY2(line.match(log).hasMatch(), qPrintable(log));
}

void TstServerPaths::logSaysWhyARunFailedWithoutSecrets()
{
    // A code step fails quoting the server's LLM key, a bearer token and a cache URL's
    // password after 3,000 characters of stderr: the log line names the error without a
    // secret, on one line, cut in its middle.
    const QString home = m_scratch.filePath(u"errorlog"_s);
    // Made-up canaries, not credentials: each must not reach the log.
    const QByteArray llmKey = "llm-key-canary-3f9a1c7e5b";
    const QByteArray bearer = "bearer-canary-0123456789abcdef";
    const QByteArray password = "pw-canary-7"; // 11 characters: the error stays over 2,000 once masked
    // stderr: a line of 3,000 characters, then the traceback (the step's error keeps the
    // last 2,000 characters of stderr, core/engine/sandbox/cappedstream.h).
    const QByteArray code = "import sys\\nsys.stderr.write('y' * 3000 + '\\\\n')\\nraise RuntimeError('key " + llmKey
                            + " header Bearer " + bearer + " cache postgresql://ci:" + password + "@db/invoke END')\\n";
    writeFile(home + u"/bots/leaky.bot.json"_s,
              "{\"bot\": {\"key\": \"leaky\"}, \"steps\": [{\"key\": \"run\", \"action_type\": \"codeexec.execute\", "
              "\"parameters\": {\"code_files\": [{\"filename\": \"main.py\", \"content\": \"" + code + "\"}]}}]}");
    writeFile(home + u"/tokens.txt"_s, kToken + " acme\n");
    QProcessEnvironment env = ServerProcess::scratchEnvironment(home);
    env.insert(u"INVOKE_LLM_API_KEY"_s, QString::fromLatin1(llmKey));
    const auto server = ServerProcess::launch({u"--tokens"_s, home + u"/tokens.txt"_s, u"--bots-dir"_s,
                                               home + u"/bots"_s, u"--cache"_s, home + u"/cache.sqlite"_s},
                                              env);
    QVERIFY(server);
    const Answer run = send(*server, "POST", "/bots/leaky/invoke", "{}");
    QCOMPARE(run.status, 200);
    QVERIFY2(run.body.contains("RuntimeError: key"), run.body.right(2000).constData()); // it failed as meant
    QCOMPARE(server->terminate(), 0);

    const QString log = server->log();
    const QStringList lines = log.split(u'\n').filter(u"POST /bots/leaky/invoke"_s);
    QCOMPARE(lines.size(), 1);
    const QString &entry = lines.first();
    QVERIFY2(entry.contains(u" events=4 error first="_s), qPrintable(entry));
    const qsizetype at = entry.indexOf(u" error=\""_s);
    QVERIFY2(at > 0, qPrintable(entry));
    const QString error = entry.mid(at);
    QVERIFY2(error.startsWith(u" error=\"step \\\"run\\\" (codeexec.execute) failed: codeexec.execute: the program "
                              u"exited with code 1:\\x0ayyyyy"_s),
             qPrintable(error));
    QVERIFY2(error.endsWith(u"@db/invoke END\""_s), qPrintable(error));
    QVERIFY2(error.contains(u" … "_s) && error.size() < 2200, qPrintable(u"%1 characters"_s.arg(error.size())));
    for (const QByteArray &secret : {llmKey, bearer, password})
        QVERIFY2(!log.contains(QString::fromLatin1(secret)), QByteArray(secret + " in the log: " + error.left(600).toUtf8()).constData());
    QVERIFY2(error.contains(u"\\x0aRuntimeError: key [redacted] header Bearer [redacted] cache "
                            u"postgresql://ci:***@db/invoke END"_s),
             qPrintable(error.right(600)));
}

void TstServerPaths::unreadableDatasetNamesNoServerPath()
{
    const QString home = m_scratch.filePath(u"unreadable"_s);
    const auto server = startServer(home);
    QVERIFY(server);

    const Answer search = send(*server, "GET", "/datasets/broken/search?q=fine");
    QCOMPARE(search.status, 500);
    const QString error = toQString(parseJson(search.body).value("error", std::string()));
    QCOMPARE(error, u"dataset \"broken\" could not be read: broken.jsonl:2: the file is not UTF-8 text"_s);
    verifyNoServerPath(search.body, home);

    const Answer run = send(*server, "POST", "/bots/finder/invoke",
                            R"({"messages": [{"role": "user", "content": "fine"}], "dataset_slugs": ["broken"]})");
    QCOMPARE(run.status, 200);
    const QStringList errors = eventErrors(run.body);
    QCOMPARE(errors.size(), 2); // the step's and the run's
    for (const QString &e : errors)
        QVERIFY2(e.contains(u"memory.search: dataset \"broken\" could not be read: broken.jsonl:2: the file is not UTF-8 text"_s),
                 qPrintable(e));
    verifyNoServerPath(run.body, home);

    // The server's operator reads where the file is.
    QVERIFY2(server->log().contains(home + u"/data/Invoke Studio/invoke-studio/datasets/broken.jsonl:2"_s),
             qPrintable(server->log()));
    // A good dataset still answers.
    QCOMPARE(send(*server, "GET", "/datasets/ships/search?q=ice").status, 200);
    QCOMPARE(server->terminate(), 0);
}

void TstServerPaths::unopenableIndexNamesNoServerPath()
{
    const QString home = m_scratch.filePath(u"noindex"_s);
    // A folder where the dataset index file should be: SQLite cannot open it.
    QVERIFY(QDir().mkpath(home + u"/data/Invoke Studio/invoke-studio/dataset-index.sqlite"_s));
    const auto server = startServer(home);
    QVERIFY(server);

    const QString told = u"the dataset index dataset-index.sqlite cannot be opened: "_s;
    for (const QByteArray &target : {QByteArray("/datasets"), QByteArray("/datasets/ships/search?q=ice")}) {
        const Answer answer = send(*server, "GET", target);
        QCOMPARE(answer.status, 500);
        QVERIFY2(answer.body.contains(told.toUtf8()), answer.body.constData());
        verifyNoServerPath(answer.body, home);
    }
    const Answer run = send(*server, "POST", "/bots/finder/invoke",
                            R"({"messages": [{"role": "user", "content": "ice"}], "dataset_slugs": ["ships"]})");
    QCOMPARE(run.status, 200);
    const QStringList errors = eventErrors(run.body);
    QCOMPARE(errors.size(), 2);
    for (const QString &e : errors)
        QVERIFY2(e.contains(told), qPrintable(e));
    verifyNoServerPath(run.body, home);
    QCOMPARE(server->terminate(), 0);
}

void TstServerPaths::localUserReadsTheFullPath()
{
    // invoke-cli on the embedded engine: the user's own machine, the whole path.
    const QString home = m_scratch.filePath(u"local"_s);
    const QString file = writeFile(home + u"/datasets/broken.jsonl"_s, kNotUtf8);
    writeFile(home + u"/bots/finder.bot.json"_s, kFinderBot);
    const CliRun r = runProcess(cliProgram(),
                                {u"invoke"_s, u"finder"_s, u"--bots-dir"_s, home + u"/bots"_s, u"--datasets-dir"_s,
                                 home + u"/datasets"_s, u"-d"_s, u"broken"_s, u"-m"_s, u"fine"_s, u"--format"_s,
                                 u"json"_s},
                                ServerProcess::scratchEnvironment(home), home);
    QCOMPARE(r.exitCode, 1);
    const QString printed = r.out + r.err;
    QVERIFY2(printed.contains(file + u":2: the file is not UTF-8 text"_s), qPrintable(printed));
}

QTEST_GUILESS_MAIN(TstServerPaths)
#include "tst_serverpaths.moc"
