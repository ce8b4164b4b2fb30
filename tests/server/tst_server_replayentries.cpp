// POST /bots/{key}/invoke with `replay_entries` (docs/server.md; docs/runs.md, Re-running a
// run file) against the real build/bin/invoke-server over loopback, raw HTTP/1.1 on
// QTcpSocket, with the stub LLM counting its calls:
//  - a replay run is answered from the body's entries alone, in their scope (a run file's
//    "local", on a server whose organisation's scope is org:acme): the server's own cache
//    holds another answer for the same call and is neither read nor written, and a miss
//    runs live and stays with the run;
//  - malformed, tampered, mixed-scope, too deep and oversized entries get a 4xx naming
//    what is wrong before any stream or LLM call, and other clients keep being served.
// The entries are made the way a run file gets them: a real replay run of the embedded
// engine (same bundled bot, same model name) recorded into a cache of its own.
#include "tests/support/openaistubserver.h"
#include "tests/support/serverprocess.h"
#include "tests/support/testpaths.h"

#include "core/backend/invocation.h"
#include "core/backend/localbackend.h"
#include "core/cache/sqlite/sqlitereplaycache.h"
#include "core/wire/eventcodec.h"
#include "core/wire/events.h"

#include <QtCore/QFileInfo>
#include <QtCore/QSaveFile>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtNetwork/QTcpSocket>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace invoke;

namespace {

const QByteArray kTokenAcme = "test-token-acme-0123456789";
const QByteArray kTokenBeta = "test-token-beta-0123456789";
constexpr int kLiveMs = 30000; // liveness deadline: generous for a loaded 2-core machine
constexpr qint64 kMaxBody = 256 * 1024;

// One request over its own connection ("Connection: close"), its whole answer kept.
struct Answer
{
    int status = 0;
    QByteArray head;
    QByteArray body; // de-chunked
    QString error() const { return stringField(parseJson(body), "error"); }
    QList<Event> events() const
    {
        wire::EventStreamDecoder decoder;
        QList<Event> out;
        decoder.feed(body, out);
        return out;
    }
};

QByteArray dechunk(const QByteArray &body)
{
    QByteArray out;
    qsizetype pos = 0;
    for (;;) {
        const qsizetype lineEnd = body.indexOf("\r\n", pos);
        if (lineEnd < 0)
            return out;
        bool ok = false;
        const qint64 size = body.mid(pos, lineEnd - pos).toLongLong(&ok, 16);
        if (!ok || size == 0)
            return out;
        out += body.mid(lineEnd + 2, size);
        pos = lineEnd + 2 + size + 2;
    }
}

Answer exchange(quint16 port, const QByteArray &method, const QByteArray &path, const QByteArray &token,
                const QByteArray &body = {})
{
    QByteArray request = method + ' ' + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port)
        + "\r\nAuthorization: Bearer " + token + "\r\nConnection: close\r\n";
    if (method == "POST")
        request += "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n";
    request += "\r\n" + body;
    QTcpSocket socket;
    QByteArray received;
    bool closed = false;
    QObject::connect(&socket, &QTcpSocket::readyRead, &socket, [&] { received += socket.readAll(); });
    QObject::connect(&socket, &QTcpSocket::disconnected, &socket, [&] { closed = true; });
    QObject::connect(&socket, &QTcpSocket::errorOccurred, &socket, [&] {
        received += socket.readAll();
        closed = true;
    });
    socket.connectToHost(QHostAddress::LocalHost, port);
    socket.write(request);
    if (!QTest::qWaitFor([&] { return closed; }, kLiveMs))
        return {};
    Answer answer;
    const qsizetype end = received.indexOf("\r\n\r\n");
    if (!received.startsWith("HTTP/1.1 ") || end < 0)
        return answer;
    answer.status = received.mid(9, 3).toInt();
    answer.head = received.left(end).toLower();
    answer.body = received.mid(end + 4);
    if (answer.head.contains("transfer-encoding: chunked"))
        answer.body = dechunk(answer.body);
    return answer;
}

Json replayBody(const QString &question, const Json &entries)
{
    Json body{{"messages", Json::array({{{"role", "user"}, {"content", toStd(question)}}})}, {"mode", "replay"}};
    if (!entries.is_null())
        body["replay_entries"] = entries;
    return body;
}

struct LlmStep
{
    QString source;
    QString text;
    QString finalStatus;
};

LlmStep llmStepOf(const QList<Event> &events)
{
    LlmStep step;
    for (const Event &event : events) {
        const Json json = event.json();
        if (event.type == QLatin1String(wire::EventType::StepFinished)
            && stringField(wire::payloadOf(json), "action_type") == u"llm.message"_s)
            step.source = stringField(wire::metadataOf(json), "source");
        if (event.type == QLatin1String(wire::EventType::MessageContent))
            step.text += QString::fromStdString(wire::payloadOf(json).get<std::string>());
        if (event.type == QLatin1String(wire::EventType::InvocationFinished))
            step.finalStatus = stringField(wire::payloadOf(json), "status");
    }
    return step;
}

} // namespace

class TstServerReplayEntries : public QObject
{
    Q_OBJECT

private:
    void expectServes();
    QList<cache::CacheEntry> serverEntries();

    QTemporaryDir m_home;
    test::OpenAiStubServer m_llm;
    std::unique_ptr<test::ServerProcess> m_server;
    QString m_serverCache;
    Json m_entries; // a run file's cache_entries: one entry, scope "local", its answer changed

private Q_SLOTS:
    void initTestCase();
    void entriesAnswerTheRunInAScopeOfTheirOwn();
    void aMissRunsLiveAndStaysWithTheRun();
    void anEmptyListIsAStoreOfItsOwn();
    void badEntriesAreRefusedBeforeAnyStream_data();
    void badEntriesAreRefusedBeforeAnyStream();
    void oversizedEntriesAreRefusedByLength();
    void cleanupTestCase();
};

void TstServerReplayEntries::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    qRegisterMetaType<InvokeResult>();
    QVERIFY(m_home.isValid());
    QVERIFY2(QFileInfo(test::binDir() + u"/invoke-server"_s).isExecutable(),
             "build invoke-server first (it is a dependency of tst_server_replayentries)");
    QVERIFY(m_llm.listen());
    m_llm.setReply(test::StubReply::text({u"Live"_s, u" answer."_s}, 5, 2));

    // The entries of a run file: a replay run of the embedded engine, recorded into a file.
    const QString own = m_home.filePath(u"own-replay.sqlite"_s);
    {
        LocalBackend::Options options;
        options.botFolders = {u":/bots"_s};
        options.replayCacheFile = own;
        options.llm.baseUrl = m_llm.baseUrl();
        options.llm.model = u"stub-model"_s; // as the server's (ServerProcess::scratchEnvironment)
        LocalBackend engine(options);
        InvokeRequest request;
        request.botKey = u"chat"_s;
        request.messages = {Message::user(u"Which answer?"_s)};
        request.mode = Mode::replay();
        Invocation *invocation = engine.invoke(request, this);
        QSignalSpy finished(invocation, &Invocation::finished);
        QVERIFY(finished.wait(kLiveMs));
        const InvokeResult result = finished.first().first().value<InvokeResult>();
        QVERIFY2(result.success, qPrintable(result.error));
        delete invocation;
    }
    cache::SqliteReplayCache store(own);
    QString error;
    QVERIFY2(store.open(&error), qPrintable(error));
    const QList<cache::CacheEntry> entries = store.list({}, &error);
    QCOMPARE(entries.size(), 1);
    QCOMPARE(entries.first().parts.scope, u"local"_s);
    // The output is not part of the key: the file's answer differs from any the LLM gives.
    cache::CacheEntry changed = entries.first();
    changed.output = parseJson(QByteArray::fromStdString(changed.output.dump()).replace("Live answer.", "Answer from the file."));
    QVERIFY(changed.output != entries.first().output);
    m_entries = Json::array({changed.toJson()});

    const QString tokens = m_home.filePath(u"tokens.txt"_s);
    QSaveFile file(tokens);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(kTokenAcme + " acme\n" + kTokenBeta + " beta\n");
    QVERIFY(file.commit());
    QFile::setPermissions(tokens, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    m_serverCache = m_home.filePath(u"server-replay.sqlite"_s);
    m_server = test::ServerProcess::launch({u"--tokens"_s, tokens, u"--cache"_s, m_serverCache, u"--max-body"_s,
                                            QString::number(kMaxBody)},
                                           test::ServerProcess::scratchEnvironment(m_home.path(), m_llm.baseUrl()));
    QVERIFY(m_server);
}

void TstServerReplayEntries::cleanupTestCase()
{
    if (m_server)
        QCOMPARE(m_server->terminate(), 0);
}

QList<cache::CacheEntry> TstServerReplayEntries::serverEntries()
{
    cache::SqliteReplayCache store(m_serverCache);
    QString error;
    if (!store.open(&error)) {
        qWarning("%s", qPrintable(error));
        return {};
    }
    return store.list({}, &error);
}

void TstServerReplayEntries::expectServes()
{
    QVERIFY2(m_server->process().state() == QProcess::Running, qPrintable(m_server->log().right(3000)));
    const Answer bots = exchange(m_server->port(), "GET", "/bots", kTokenBeta);
    QCOMPARE(bots.status, 200);
    QVERIFY(bots.body.contains("\"chat\""));
    const Json manual{{"messages", Json::array({{{"role", "user"}, {"content", "Hello"}}})},
                      {"mode", "manual"},
                      {"manual_mocks", {{"answer", {{"status", "success"}, {"output", {{"content", "Hi from a mock"}}}}}}}};
    const Answer run = exchange(m_server->port(), "POST", "/bots/chat/invoke", kTokenBeta, dumpJson(manual));
    QCOMPARE(run.status, 200);
    const LlmStep step = llmStepOf(run.events());
    QCOMPARE(step.finalStatus, u"success"_s);
    QCOMPARE(step.text, u"Hi from a mock"_s);
}

void TstServerReplayEntries::entriesAnswerTheRunInAScopeOfTheirOwn()
{
    // The organisation's own cache first holds the LLM's answer to the same call.
    const int before = m_llm.requestCount();
    const Answer seeded = exchange(m_server->port(), "POST", "/bots/chat/invoke", kTokenAcme,
                                   dumpJson(replayBody(u"Which answer?"_s, Json())));
    QCOMPARE(seeded.status, 200);
    QCOMPARE(llmStepOf(seeded.events()).source, u"replay_stored"_s);
    QCOMPARE(m_llm.requestCount(), before + 1);
    const QList<cache::CacheEntry> cached = serverEntries();
    QCOMPARE(cached.size(), 1);
    QCOMPARE(cached.first().parts.scope, u"org:acme"_s);

    // With the run file's entries: answered from them, not from the server's cache.
    const Answer own = exchange(m_server->port(), "POST", "/bots/chat/invoke", kTokenAcme,
                                dumpJson(replayBody(u"Which answer?"_s, m_entries)));
    QCOMPARE(own.status, 200);
    const LlmStep step = llmStepOf(own.events());
    QCOMPARE(step.finalStatus, u"success"_s);
    QCOMPARE(step.source, u"replay_hit"_s);
    QCOMPARE(step.text, u"Answer from the file."_s);
    QCOMPARE(m_llm.requestCount(), before + 1);
    // The server's cache is as it was: the same one entry, its answer, no "local" scope.
    const QList<cache::CacheEntry> after = serverEntries();
    QCOMPARE(after.size(), 1);
    QCOMPARE(after.first().key, cached.first().key);
    QVERIFY(after.first().output == cached.first().output);
    expectServes();
}

void TstServerReplayEntries::aMissRunsLiveAndStaysWithTheRun()
{
    const int before = m_llm.requestCount();
    const qsizetype cached = serverEntries().size();
    const Answer missed = exchange(m_server->port(), "POST", "/bots/chat/invoke", kTokenAcme,
                                   dumpJson(replayBody(u"A question the file never saw"_s, m_entries)));
    QCOMPARE(missed.status, 200);
    const LlmStep step = llmStepOf(missed.events());
    QCOMPARE(step.finalStatus, u"success"_s);
    QCOMPARE(step.source, u"replay_stored"_s); // stored in the run's own entries only
    QCOMPARE(step.text, u"Live answer."_s);
    QCOMPARE(m_llm.requestCount(), before + 1);
    QCOMPARE(serverEntries().size(), cached);
}

void TstServerReplayEntries::anEmptyListIsAStoreOfItsOwn()
{
    // The organisation's cache answers "Which answer?" (entriesAnswerTheRunInAScopeOfTheirOwn).
    const QList<cache::CacheEntry> cached = serverEntries();
    QCOMPARE(cached.size(), 1);
    const int before = m_llm.requestCount();
    // "replay_entries": [] (a run file with none): the server's cache is neither read...
    const Answer own = exchange(m_server->port(), "POST", "/bots/chat/invoke", kTokenAcme,
                                dumpJson(replayBody(u"Which answer?"_s, Json::array())));
    QCOMPARE(own.status, 200);
    const LlmStep step = llmStepOf(own.events());
    QCOMPARE(step.finalStatus, u"success"_s);
    QCOMPARE(step.source, u"replay_stored"_s);
    QCOMPARE(step.text, u"Live answer."_s);
    QCOMPARE(m_llm.requestCount(), before + 1);
    // ... nor written, and a question it never saw is not kept there either.
    const Answer unseen = exchange(m_server->port(), "POST", "/bots/chat/invoke", kTokenAcme,
                                   dumpJson(replayBody(u"A question nobody asked"_s, Json::array())));
    QCOMPARE(unseen.status, 200);
    QCOMPARE(llmStepOf(unseen.events()).source, u"replay_stored"_s);
    QCOMPARE(m_llm.requestCount(), before + 2);
    const QList<cache::CacheEntry> after = serverEntries();
    QCOMPARE(after.size(), 1);
    QCOMPARE(after.first().key, cached.first().key);
    QCOMPARE(after.first().hits, cached.first().hits);

    // Left out: the server's cache answers the same question, no call.
    const Answer ordinary = exchange(m_server->port(), "POST", "/bots/chat/invoke", kTokenAcme,
                                     dumpJson(replayBody(u"Which answer?"_s, Json())));
    QCOMPARE(ordinary.status, 200);
    QCOMPARE(llmStepOf(ordinary.events()).source, u"replay_hit"_s);
    QCOMPARE(m_llm.requestCount(), before + 2);
    expectServes();
}

void TstServerReplayEntries::badEntriesAreRefusedBeforeAnyStream_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("named");

    const Json good = m_entries.at(0);
    const auto with = [this](const Json &entries) { return dumpJson(replayBody(u"Which answer?"_s, entries)); };
    QTest::newRow("not an array") << with(Json{{"key", "abc"}}) << u"replay_entries: must be an array"_s;
    QTest::newRow("an entry that is no object") << with(Json::array({good, 42})) << u"replay_entries[1]"_s;
    Json tampered = good;
    tampered["parameters"]["model"] = "another-model"; // its key no longer matches its parts
    QTest::newRow("a key that is not its parts' SHA-256") << with(Json::array({tampered})) << u"SHA-256"_s;
    Json noOutput = good;
    noOutput.erase("output");
    QTest::newRow("an entry without its output") << with(Json::array({noOutput})) << u"replay_entries[0]"_s;
    Json badUsage = good;
    badUsage["usage"] = "lots";
    QTest::newRow("a member of the wrong type") << with(Json::array({badUsage})) << u"\"usage\" must be an object"_s;
    QTest::newRow("a key that is no text") << with(Json::array({Json{{"key", Json::array()}}})) << u"replay_entries[0]"_s;
    // Another scope's entry beside the first (its own key made right): one scope per run.
    Json other = good;
    other["scope"] = "org:beta";
    {
        QString error;
        auto parts = cache::CacheEntry::fromJson(good, &error);
        QVERIFY2(parts, qPrintable(error));
        cache::CacheKeyParts p = parts->parts;
        p.scope = u"org:beta"_s;
        other["key"] = toStd(p.key());
    }
    QTest::newRow("two scopes") << with(Json::array({good, other})) << u"one scope"_s;
    // Nested past the body's depth limit inside an entry's parameters.
    QByteArray deep = "{\"mode\": \"replay\", \"replay_entries\": [{\"parameters\": ";
    deep += QByteArray(200, '[') + QByteArray(200, ']') + "}]}";
    QTest::newRow("nested too deep") << deep << u"deep"_s;
    QTest::newRow("not JSON") << QByteArray("{\"mode\": \"replay\", \"replay_entries\": [{\"key\": ") << u"line 1"_s;
}

void TstServerReplayEntries::badEntriesAreRefusedBeforeAnyStream()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, named);
    const int before = m_llm.requestCount();
    const qsizetype cached = serverEntries().size();
    const Answer refused = exchange(m_server->port(), "POST", "/bots/chat/invoke", kTokenAcme, body);
    QVERIFY2(refused.status == 400, qPrintable(u"status %1: %2"_s.arg(refused.status).arg(QString::fromUtf8(refused.body.left(600)))));
    QVERIFY2(refused.head.contains("content-type: application/json"), refused.head.constData());
    QVERIFY2(refused.error().contains(named, Qt::CaseInsensitive), qPrintable(refused.error()));
    QCOMPARE(m_llm.requestCount(), before);
    QCOMPARE(serverEntries().size(), cached);
    expectServes();
}

void TstServerReplayEntries::oversizedEntriesAreRefusedByLength()
{
    // Many good entries past --max-body: refused by the declared length before a byte of
    // the body is read.
    Json many = Json::array();
    while (dumpJson(many).size() <= kMaxBody)
        many.push_back(m_entries.at(0));
    const Answer refused = exchange(m_server->port(), "POST", "/bots/chat/invoke", kTokenAcme,
                                    dumpJson(replayBody(u"Which answer?"_s, many)));
    QCOMPARE(refused.status, 413);
    QVERIFY2(refused.error().contains(u"--max-body"_s) || refused.error().contains(QString::number(kMaxBody)),
             qPrintable(refused.error()));
    expectServes();
}

QTEST_GUILESS_MAIN(TstServerReplayEntries)
#include "tst_server_replayentries.moc"
