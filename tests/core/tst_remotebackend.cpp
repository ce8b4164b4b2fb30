// RemoteBackend over real HTTP on loopback: a server that sends plain SDK-shaped events
// (no type, path or seq) builds the same steps and text; every failure has its message
// (404, 401 without and with a token, a JSON error body, refused connection, no answer,
// no first event, a stream cut or stalled mid-way, an oversized event); cancel aborts
// the request; and a real invoke-server runs a bundled example as the embedded engine does.
#include "core/backend/invocation.h"
#include "core/backend/localbackend.h"
#include "core/backend/remotebackend.h"
#include "core/wire/requestcodec.h"
#include "tests/support/plaininvokeserver.h"
#include "tests/support/serverprocess.h"
#include "tests/support/testpaths.h"

#include <QtCore/QPointer>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtNetwork/QTcpServer>
#include <QtTest/QtTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace invoke;

namespace {

const QString kToken = u"tok-remote-test-0123456789"_s;

BotInfo bot(const QString &key, const QString &name = {})
{
    BotInfo info;
    info.key = key;
    info.name = name.isEmpty() ? key : name;
    info.description = u"A scripted bot"_s;
    info.updatedAt = QDateTime(QDate(2026, 1, 2), QTime(3, 4, 5), Qt::UTC);
    return info;
}

InvokeRequest request(const QString &key)
{
    InvokeRequest r;
    r.botKey = key;
    r.messages = {Message::user(u"What about \"tea\" for $5? ☕"_s)};
    r.parameters = Json{{"topic", "tea"}};
    r.datasets = {u"recipes"_s};
    r.mode = Mode::replay();
    return r;
}

// Runs one invocation to its end and keeps what it delivered; the invocation is asked
// to keep its events too unless `keepEvents` is false.
struct Run
{
    QList<QList<Event>> batches;
    QList<Event> events;
    QList<InvokeResult> finished;
    InvokeResult result;

    explicit Run(Invocation *invocation, int timeoutMs = 30000, bool keepEvents = true)
    {
        invocation->setKeepEvents(keepEvents);
        QObject::connect(invocation, &Invocation::eventsArrived, invocation, [this](const QList<Event> &batch) {
            batches.append(batch);
            events += batch;
        });
        QObject::connect(invocation, &Invocation::finished, invocation,
                         [this](const InvokeResult &r) { finished.append(r); });
        QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), timeoutMs);
        result = finished.first();
    }
};

QStringList stepLines(const InvokeResult &result)
{
    QStringList lines;
    for (const StepRecord &step : result.steps)
        lines << u"%1 %2 %3"_s.arg(step.path, step.actionType, QString(wireName(step.status)));
    return lines;
}

} // namespace

class TestRemoteBackend : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<test::PlainInvokeServer> m_server;

    RemoteBackend::Options options(const QString &token = kToken) const
    {
        RemoteBackend::Options o;
        o.endpoint = QUrl(m_server->endpoint());
        o.token = token;
        o.name = u"test"_s;
        return o;
    }

    InvokeResult invokeOnce(const RemoteBackend::Options &o, const QString &key, Run **kept = nullptr)
    {
        RemoteBackend backend(o);
        std::unique_ptr<Invocation> invocation(backend.invoke(request(key)));
        auto *run = new Run(invocation.get());
        const InvokeResult result = run->result;
        if (kept)
            *kept = run;
        else
            delete run;
        return result;
    }

private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<test::PlainInvokeServer>();
        QVERIFY(m_server->listen());
        m_server->setToken(kToken);
        m_server->addBot(bot(u"plain"_s, u"Plain bot"_s),
                         test::PlainScript::stream(test::PlainInvokeServer::plainRun(u"Plain bot"_s, {u"Hello "_s, u"world"_s})));
    }

    void listsBotsAndDatasets()
    {
        DatasetInfo recipes;
        recipes.slug = u"recipes"_s;
        recipes.name = u"Recipes"_s;
        recipes.size = 42;
        m_server->setDatasets({recipes});
        RemoteBackend backend(options());
        QCOMPARE(backend.displayName(), u"test (%1)"_s.arg(m_server->endpoint()));

        std::optional<BotListing> bots;
        backend.listBots(this, [&](const BotListing &listing) { bots = listing; });
        QTRY_VERIFY(bots.has_value());
        QCOMPARE(bots->error, QString());
        QCOMPARE(bots->bots.size(), 1);
        QCOMPARE(bots->bots.first(), bot(u"plain"_s, u"Plain bot"_s));

        std::optional<DatasetListing> datasets;
        backend.listDatasets(this, [&](const DatasetListing &listing) { datasets = listing; });
        QTRY_VERIFY(datasets.has_value());
        QCOMPARE(datasets->error, QString());
        QCOMPARE(datasets->datasets, QList<DatasetInfo>{recipes});
        QCOMPARE(m_server->requests().last().header("authorization"), "Bearer " + kToken.toUtf8());
    }

    void listingFailuresAreWords()
    {
        RemoteBackend rejected(options(u"wrong-token"_s));
        std::optional<BotListing> bots;
        rejected.listBots(this, [&](const BotListing &listing) { bots = listing; });
        QTRY_VERIFY(bots.has_value());
        QVERIFY2(bots->error.contains(u"token is missing or rejected; set one in the profile"_s), qPrintable(bots->error));
        QVERIFY(bots->error.contains(u"the token is not recognised"_s));

        RemoteBackend::Options bad = options();
        bad.endpoint = QUrl(u"ftp://example.org"_s);
        RemoteBackend unusable(bad);
        bots.reset();
        unusable.listBots(this, [&](const BotListing &listing) { bots = listing; });
        QTRY_VERIFY(bots.has_value());
        QVERIFY2(bots->error.contains(u"is not an http:// or https:// URL"_s), qPrintable(bots->error));
    }

    void plainStreamBuildsSteps()
    {
        RemoteBackend backend(options());
        const InvokeRequest sent = request(u"plain"_s);
        std::unique_ptr<Invocation> invocation(backend.invoke(sent));
        Run run(invocation.get());

        QCOMPARE(run.finished.size(), 1);
        QVERIFY2(run.result.success, qPrintable(run.result.error));
        QCOMPARE(run.result.error, QString());
        QCOMPARE(run.result.botName, u"Plain bot"_s);
        QCOMPARE(run.result.botKey, u"plain"_s);
        QCOMPARE(run.result.invocationId, u"inv-plain-1"_s);
        QCOMPARE(stepLines(run.result), (QStringList{u"lookup utils.echo success"_s, u"answer llm.message success"_s}));
        QCOMPARE(run.result.steps[0].output, (Json{{"topic", "tea"}}));
        QCOMPARE(run.result.visibleText(), u"Hello world"_s);
        QCOMPARE(run.result.messages.size(), 1);
        // Every event once, in order, delivered in batches before finished().
        QCOMPARE(run.events, run.result.events);
        QCOMPARE(run.events.size(), test::PlainInvokeServer::plainRun(u"Plain bot"_s, {u"Hello "_s, u"world"_s}).size());
        for (const Event &event : run.events) {
            QCOMPARE(event.type, QString());
            QCOMPARE(event.path, QString());
            QCOMPARE(event.seq, -1);
        }

        const test::RecordedRequest received = m_server->requests().last(); // a copy: requests() returns a new list
        QCOMPARE(received.method, "POST");
        QCOMPARE(received.path, "/bots/plain/invoke");
        QCOMPARE(received.header("authorization"), "Bearer " + kToken.toUtf8());
        QCOMPARE(received.header("accept"), "text/event-stream");
        QCOMPARE(received.header("content-type"), "application/json");
        QCOMPARE(received.json(), wire::requestBody(sent));
    }

    void eventsAreKeptOnlyWhenAsked()
    {
        // Not asked: the events pass by (eventsArrived), the result keeps none.
        RemoteBackend backend(options());
        std::unique_ptr<Invocation> quiet(backend.invoke(request(u"plain"_s)));
        Run notKept(quiet.get(), 30000, false);
        QVERIFY2(notKept.result.success, qPrintable(notKept.result.error));
        QVERIFY(notKept.result.events.isEmpty());
        QVERIFY(!notKept.events.isEmpty());
        QCOMPARE(quiet->eventCount(), qint64(notKept.events.size()));
        QCOMPARE(stepLines(notKept.result), (QStringList{u"lookup utils.echo success"_s, u"answer llm.message success"_s}));
        // Asked: all of them, in arrival order.
        std::unique_ptr<Invocation> asked(backend.invoke(request(u"plain"_s)));
        Run kept(asked.get());
        QVERIFY(asked->keepsEvents());
        QCOMPARE(kept.result.events, kept.events);
        QCOMPARE(kept.result.events.size(), notKept.events.size());
        QCOMPARE(kept.result.steps, notKept.result.steps);
    }

    void burstAndNoiseAreRead()
    {
        // 20k text chunks in one HTTP chunk (several MB at once), after a comment and two
        // data messages that are not events: all read, in order, in more than one batch.
        QStringList chunks;
        for (int i = 0; i < 20000; ++i)
            chunks << u"chunk %1 with some padding to make it longer than a few bytes, "_s.arg(i);
        test::PlainScript script = test::PlainScript::stream(test::PlainInvokeServer::plainRun(u"Burst"_s, chunks));
        script.batched = true;
        script.preamble = ": keep-alive\n\ndata: [DONE]\n\ndata: not json at all\n\n";
        m_server->addBot(bot(u"burst"_s), script);

        Run *run = nullptr;
        const InvokeResult result = invokeOnce(options(), u"burst"_s, &run);
        std::unique_ptr<Run> owned(run);
        QVERIFY2(result.success, qPrintable(result.error));
        QCOMPARE(result.visibleText(), chunks.join(QString()));
        QCOMPARE(run->events.size(), script.events.size());
        QVERIFY2(run->batches.size() > 1, "a burst of megabytes is read in slices");
    }

    void unknownBot()
    {
        const InvokeResult result = invokeOnce(options(), u"no-such-bot"_s);
        QVERIFY(!result.success);
        QVERIFY(result.events.isEmpty());
        QCOMPARE(result.botKey, u"no-such-bot"_s);
        QCOMPARE(result.error, u"The bot \"no-such-bot\" was not found at %1 (HTTP 404: bot \"no-such-bot\" not found): "
                               "check the key, and that the bot is synced to that server."_s.arg(m_server->endpoint()));
        QCOMPARE(stringField(result.result, "status"), u"error"_s);
    }

    void tokenMissingOrRejected()
    {
        InvokeResult result = invokeOnce(options(QString()), u"plain"_s);
        QVERIFY(!result.success);
        QCOMPARE(result.error, u"%1 refused the request (HTTP 401: a bearer token is required): no token was sent; "
                               "set one in the profile."_s.arg(m_server->endpoint()));
        QVERIFY(m_server->requests().last().header("authorization").isEmpty());

        RemoteBackend::Options o = options(u"wrong"_s);
        o.tokenHint = u"set INVOKE_AUTH_TOKEN"_s;
        result = invokeOnce(o, u"plain"_s);
        QCOMPARE(result.error, u"%1 refused the request (HTTP 401: the token is not recognised): the token is missing "
                               "or rejected; set INVOKE_AUTH_TOKEN."_s.arg(m_server->endpoint()));

        m_server->addBot(bot(u"forbidden"_s), test::PlainScript::error(403, u"not your organisation's bot"_s));
        result = invokeOnce(options(), u"forbidden"_s);
        QVERIFY2(result.error.contains(u"HTTP 403: not your organisation's bot"_s), qPrintable(result.error));
        QVERIFY(result.error.contains(u"the token is missing or rejected; set one in the profile"_s));
    }

    void errorBodiesAreShown()
    {
        m_server->addBot(bot(u"broken"_s), test::PlainScript::error(500, u"the replay cache is locked"_s));
        InvokeResult result = invokeOnce(options(), u"broken"_s);
        QCOMPARE(result.error, u"%1 answered HTTP 500: the replay cache is locked."_s.arg(m_server->endpoint()));

        m_server->addBot(bot(u"big"_s), test::PlainScript::error(413, u"the body is over 1048576 bytes"_s));
        result = invokeOnce(options(), u"big"_s);
        QVERIFY2(result.error.contains(u"too large (HTTP 413: the body is over 1048576 bytes)"_s), qPrintable(result.error));

        // A 200 that is not an event stream, with an error in JSON.
        test::PlainScript json;
        json.contentType = "application/json";
        json.preamble = "{\"error\": \"quota exceeded\"}";
        m_server->addBot(bot(u"json"_s), json);
        result = invokeOnce(options(), u"json"_s);
        QCOMPARE(result.error, u"%1 answered with an error: quota exceeded"_s.arg(m_server->endpoint()));
    }

    void connectionRefused()
    {
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
        RemoteBackend::Options o = options();
        o.endpoint = QUrl(u"http://127.0.0.1:%1"_s.arg(closed.serverPort()));
        closed.close(); // nobody listens there now
        const InvokeResult result = invokeOnce(o, u"plain"_s);
        QVERIFY(!result.success);
        QCOMPARE(result.error, u"Could not connect to %1: the connection was refused. Is the server running, and is the "
                               "endpoint's host and port right?"_s.arg(o.endpoint.toString()));
    }

    void noAnswerTimesOut()
    {
        test::PlainScript silent;
        silent.neverAnswer = true;
        m_server->addBot(bot(u"silent"_s), silent);
        RemoteBackend::Options o = options();
        o.connectTimeoutMs = 300;
        const InvokeResult result = invokeOnce(o, u"silent"_s);
        QVERIFY(!result.success);
        QVERIFY2(result.error.startsWith(u"%1 did not answer within 0.3 s (connect timeout)."_s.arg(m_server->endpoint())),
                 qPrintable(result.error));
        QVERIFY(result.error.contains(u"replay mode"_s));
    }

    void slowFirstEventSaysSo()
    {
        test::PlainScript slow = test::PlainScript::stream(test::PlainInvokeServer::plainRun(u"Slow"_s, {u"late"_s}));
        slow.stallAfter = 0;
        slow.preamble = ": open\n\n"; // bytes, but no event
        m_server->addBot(bot(u"slow"_s), slow);
        RemoteBackend::Options o = options();
        o.firstEventTimeoutMs = 300;
        const InvokeResult result = invokeOnce(o, u"slow"_s);
        QVERIFY(!result.success);
        QCOMPARE(result.error, u"%1 accepted the run but sent no event within 0.3 s. The bot may be waiting on a slow "
                               "model or tool: replay mode answers from the cache, manual mode from mocks."_s
                                   .arg(m_server->endpoint()));
    }

    void cutStreamKeepsThePartialRun()
    {
        test::PlainScript cut = test::PlainScript::stream(test::PlainInvokeServer::plainRun(u"Cut"_s, {u"Hel"_s, u"lo"_s}));
        cut.cutAfter = 5; // started, lookup done, answer started, "Hel"
        m_server->addBot(bot(u"cut"_s), cut);
        Run *run = nullptr;
        const InvokeResult result = invokeOnce(options(), u"cut"_s, &run);
        std::unique_ptr<Run> owned(run);
        QVERIFY(!result.success);
        QVERIFY(!result.cancelled);
        QCOMPARE(result.events.size(), 5);
        QCOMPARE(run->events, result.events);
        QVERIFY2(result.error.startsWith(u"The stream from %1 was cut off after 5 events, before the run finished ("_s
                                             .arg(m_server->endpoint())),
                 qPrintable(result.error));
        QVERIFY(result.error.endsWith(u"What arrived is kept and marked as cut off."_s));
        QCOMPARE(stepLines(result), (QStringList{u"lookup utils.echo success"_s, u"answer llm.message error"_s}));
        QCOMPARE(result.steps[1].error, result.error);
        QCOMPARE(result.visibleText(), u"Hel"_s);
    }

    void stalledStreamSaysSo()
    {
        test::PlainScript stall = test::PlainScript::stream(test::PlainInvokeServer::plainRun(u"Stall"_s, {u"a"_s, u"b"_s}));
        stall.stallAfter = 5;
        m_server->addBot(bot(u"stall"_s), stall);
        RemoteBackend::Options o = options();
        o.idleTimeoutMs = 300;
        const InvokeResult result = invokeOnce(o, u"stall"_s);
        QCOMPARE(result.events.size(), 5);
        QCOMPARE(result.error, u"The stream from %1 stalled: nothing arrived for 0.3 s after 5 events. What arrived "
                               "is kept."_s.arg(m_server->endpoint()));
    }

    void oversizedEventStopsTheRun()
    {
        test::PlainScript huge = test::PlainScript::stream(test::PlainInvokeServer::plainRun(u"Huge"_s, {u"a"_s}).mid(0, 2));
        huge.hugeEventBytes = 3 << 20;
        m_server->addBot(bot(u"huge"_s), huge);
        RemoteBackend::Options o = options();
        o.maxEventBytes = 1 << 20;
        const InvokeResult result = invokeOnce(o, u"huge"_s);
        QVERIFY(!result.success);
        QCOMPARE(result.events.size(), 2);
        QCOMPARE(result.error, u"%1 sent an event larger than 1 MiB; the run was stopped there (what arrived before it "
                               "is kept)."_s.arg(m_server->endpoint()));
    }

    void cancelAbortsTheRequest()
    {
        test::PlainScript held = test::PlainScript::stream(test::PlainInvokeServer::plainRun(u"Held"_s, {u"a"_s, u"b"_s}));
        held.holdAfter = 4;
        m_server->addBot(bot(u"held"_s), held);
        RemoteBackend backend(options());
        std::unique_ptr<Invocation> invocation(backend.invoke(request(u"held"_s)));
        invocation->setKeepEvents(true);
        QList<Event> arrived;
        QList<InvokeResult> finished;
        connect(invocation.get(), &Invocation::eventsArrived, this, [&](const QList<Event> &batch) { arrived += batch; });
        connect(invocation.get(), &Invocation::finished, this, [&](const InvokeResult &r) { finished << r; });
        QSignalSpy disconnected(m_server.get(), &test::PlainInvokeServer::clientDisconnected);
        QTRY_COMPARE(arrived.size(), 4);
        invocation->cancel();
        QVERIFY(finished.isEmpty()); // finished() comes from the event loop, as for the engine
        QTRY_COMPARE(finished.size(), 1);
        QVERIFY(finished.first().cancelled);
        QVERIFY(!finished.first().success);
        QCOMPARE(finished.first().events.size(), 4);
        QCOMPARE(stepLines(finished.first()), (QStringList{u"lookup utils.echo success"_s, u"answer llm.message cancelled"_s}));
        QTRY_COMPARE(disconnected.size(), 1); // the server saw the client go
        invocation->cancel(); // a second cancel changes nothing
        QTest::qWait(0);
        QCOMPARE(finished.size(), 1);
    }

    void invocationOutlivesItsBackend()
    {
        auto backend = std::make_unique<RemoteBackend>(options());
        std::unique_ptr<Invocation> invocation(backend->invoke(request(u"plain"_s)));
        backend.reset();
        Run run(invocation.get());
        QVERIFY2(run.result.success, qPrintable(run.result.error));
    }

    void againstInvokeServer()
    {
        // The real server on a free port, with one token, running the bundled chat example
        // in manual mode: the same steps and text as the embedded engine gives.
        const QString program = test::binDir() + u"/invoke-server"_s;
        QVERIFY2(QFileInfo::exists(program), "invoke-server is built with the tests (tests/CMakeLists.txt)");
        QTemporaryDir dir;
        QFile tokens(dir.filePath(u"tokens"_s));
        QVERIFY(tokens.open(QIODevice::WriteOnly));
        tokens.write("# test tokens\n" + kToken.toUtf8() + " acme\n");
        tokens.close();
        test::ServerProcess server({u"--tokens"_s, tokens.fileName(), u"--cache"_s, dir.filePath(u"replay.sqlite"_s)},
                                   test::ServerProcess::scratchEnvironment(dir.path()));
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        const QString endpoint = server.url(QString()).toString();

        RemoteBackend::Options o;
        o.endpoint = QUrl(endpoint);
        o.token = kToken;
        RemoteBackend remote(o);
        std::optional<BotListing> bots;
        remote.listBots(this, [&](const BotListing &listing) { bots = listing; });
        QTRY_VERIFY_WITH_TIMEOUT(bots.has_value(), 20000);
        QCOMPARE(bots->error, QString());
        QStringList keys;
        for (const BotInfo &info : bots->bots)
            keys << info.key;
        QVERIFY2(keys.contains(u"chat"_s), qPrintable(keys.join(u", "_s)));

        InvokeRequest chat;
        chat.botKey = u"chat"_s;
        chat.messages = {Message::user(u"Hello! What can you do?"_s)};
        chat.mode = Mode::manual();
        QString why;
        const auto mocks = MockSet::load(test::sourcePath(u"resources/mocks/chat.mocks.json"_s), &why);
        QVERIFY2(mocks, qPrintable(why));
        chat.manualMocks = *mocks;

        std::unique_ptr<Invocation> remoteRun(remote.invoke(chat));
        Run overHttp(remoteRun.get());
        QVERIFY2(overHttp.result.success, qPrintable(overHttp.result.error));

        LocalBackend::Options lo;
        lo.botFolders = {u":/bots"_s};
        lo.replayCacheFile = dir.filePath(u"local.sqlite"_s);
        LocalBackend local(lo);
        std::unique_ptr<Invocation> localRun(local.invoke(chat));
        Run embedded(localRun.get());
        QVERIFY2(embedded.result.success, qPrintable(embedded.result.error));

        QCOMPARE(stepLines(overHttp.result), stepLines(embedded.result));
        QCOMPARE(overHttp.result.visibleText(), embedded.result.visibleText());
        QCOMPARE(overHttp.result.botName, embedded.result.botName);
        QCOMPARE(overHttp.result.events.size(), embedded.result.events.size());
        for (qsizetype i = 0; i < overHttp.events.size(); ++i) {
            QCOMPARE(overHttp.events[i].type, embedded.result.events[i].type);
            QCOMPARE(overHttp.events[i].path, embedded.result.events[i].path);
            QCOMPARE(overHttp.events[i].seq, embedded.result.events[i].seq);
        }

        // Unknown bot and rejected token, as the real server words them.
        InvokeRequest unknown = chat;
        unknown.botKey = u"no-such-bot"_s;
        std::unique_ptr<Invocation> missing(remote.invoke(unknown));
        Run notFound(missing.get());
        QVERIFY2(notFound.result.error.startsWith(u"The bot \"no-such-bot\" was not found at %1 (HTTP 404"_s.arg(endpoint)),
                 qPrintable(notFound.result.error));
        o.token = u"not-a-known-token-at-all"_s;
        RemoteBackend wrong(o);
        std::unique_ptr<Invocation> rejected(wrong.invoke(chat));
        Run refused(rejected.get());
        QVERIFY2(refused.result.error.contains(u"the token is missing or rejected"_s), qPrintable(refused.result.error));

        QCOMPARE(server.terminate(20000), 0);
    }
};

QTEST_GUILESS_MAIN(TestRemoteBackend)
#include "tst_remotebackend.moc"
