// End to end, as a hostile client: the real build/bin/invoke-server driven with raw bytes
// over QTcpSocket (no HTTP client library would send these requests). Each test is one
// way to hurt the server from the network (issue 10); after each the server must still
// answer a normal request. Liveness checks wait with generous deadlines; nothing here
// asserts speed.
#include "tests/support/openaistubserver.h"
#include "tests/support/serverprocess.h"
#include "tests/support/testpaths.h"

#include "core/wire/eventcodec.h"
#include "core/wire/events.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QSaveFile>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtNetwork/QTcpSocket>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <sys/resource.h>
#include <unistd.h>

#include <memory>
#include <vector>

using namespace Qt::StringLiterals;
using namespace invoke;

namespace {

const QByteArray kTokenAcme = "test-token-acme-0123456789";
const QByteArray kTokenBeta = "test-token-beta-0123456789";
constexpr int kLiveMs = 10000; // liveness deadline: generous for a loaded 2-core machine

// A client that sends exactly the bytes it is given and keeps all it receives.
class RawClient
{
public:
    explicit RawClient(quint16 port) : m_socket(std::make_unique<QTcpSocket>())
    {
        QObject::connect(m_socket.get(), &QTcpSocket::readyRead, m_socket.get(),
                         [this] { received += m_socket->readAll(); });
        QObject::connect(m_socket.get(), &QTcpSocket::disconnected, m_socket.get(), [this] { closed = true; });
        QObject::connect(m_socket.get(), &QTcpSocket::errorOccurred, m_socket.get(), [this] {
            received += m_socket->readAll();
            closed = true; // reset, refused: gone either way
        });
        m_socket->connectToHost(QHostAddress::LocalHost, port);
    }
    bool waitConnected() { return QTest::qWaitFor([this] { return m_socket->state() == QAbstractSocket::ConnectedState; }, kLiveMs); }
    void send(const QByteArray &bytes) { m_socket->write(bytes); }
    bool waitClosed(int ms = kLiveMs) { return QTest::qWaitFor([this] { return closed; }, ms); }
    // A whole answer with a Content-Length has arrived.
    bool waitAnswer(int ms = kLiveMs)
    {
        return QTest::qWaitFor([this] {
            const qsizetype end = received.indexOf("\r\n\r\n");
            if (end < 0)
                return closed;
            const qsizetype at = received.toLower().indexOf("content-length:");
            if (at < 0 || at > end)
                return closed;
            const qint64 length = received.mid(at + 15, received.indexOf("\r\n", at) - at - 15).trimmed().toLongLong();
            return received.size() >= end + 4 + length;
        }, ms);
    }
    int status() const { return received.startsWith("HTTP/1.1 ") ? received.mid(9, 3).toInt() : 0; }
    QByteArray head() const { return received.left(received.indexOf("\r\n\r\n") + 2).toLower(); }
    QByteArray body() const { return received.mid(received.indexOf("\r\n\r\n") + 4); }
    QString error() const { return stringField(parseJson(body()), "error"); }
    QTcpSocket *socket() const { return m_socket.get(); }

    QByteArray received;
    bool closed = false;

private:
    std::unique_ptr<QTcpSocket> m_socket;
};

qint64 statusField(qint64 pid, const QByteArray &name) // in kB
{
    QFile file(u"/proc/%1/status"_s.arg(pid));
    if (!file.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : file.readAll().split('\n'))
        if (line.startsWith(QByteArray(name + ':')))
            return line.mid(name.size() + 1).trimmed().split(' ').value(0).toLongLong();
    return -1;
}

// utime + stime of a process, in clock ticks.
qint64 cpuTicks(qint64 pid)
{
    QFile file(u"/proc/%1/stat"_s.arg(pid));
    if (!file.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray stat = file.readAll();
    const QList<QByteArray> fields = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
    return fields.value(11).toLongLong() + fields.value(12).toLongLong(); // fields 14 and 15 of stat
}

void raiseOwnFileLimit()
{
    rlimit limit{};
    ::getrlimit(RLIMIT_NOFILE, &limit);
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
}

// A server starved of descriptors on purpose cannot be checked by UBSan's vptr check (the
// ASan/UBSan build; elsewhere UBSAN_OPTIONS is read by nobody). To see whether an object's
// vtable is readable, the sanitizer runtime writes it into a pipe() (IsAccessibleMemoryRange
// in gcc's libsanitizer); at the file limit pipe() fails with EMFILE, and every type check
// not yet in the runtime's cache is reported as "invalid vptr" on a live object. strace of
// acceptBacksOffWithoutDescriptors' server: accept4() EMFILE, the longest-idle socket closed
// (one descriptor free, a pipe needs two), pipe2() EMFILE twice, then the report for the
// QTcpSocket whose disconnected() reached deleteLater. Only that server goes without this
// one check (a suppressions file written to `file`); ASan and every other UBSan check stay on.
bool withoutVptrCheck(QProcessEnvironment &environment, const QString &file)
{
    QSaveFile suppressions(file);
    if (!suppressions.open(QIODevice::WriteOnly) || suppressions.write("vptr:*\n") < 0 || !suppressions.commit()) {
        qWarning("cannot write %s: %s", qPrintable(file), qPrintable(suppressions.errorString()));
        return false;
    }
    const QString options = environment.value(u"UBSAN_OPTIONS"_s);
    environment.insert(u"UBSAN_OPTIONS"_s, (options.isEmpty() ? QString() : options + u':') + u"suppressions="_s + file);
    return true;
}

QByteArray manualChatBody()
{
    return dumpJson(Json{{"messages", Json::array({{{"role", "user"}, {"content", "Hello"}}})},
                         {"mode", "manual"},
                         {"manual_mocks", {{"answer", {{"status", "success"}, {"output", {{"content", "Hi from a mock"}}}}}}}});
}

QByteArray post(quint16 port, const QByteArray &path, const QByteArray &token, const QByteArray &body,
                const QByteArray &extra = {})
{
    return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port) + "\r\n"
        + (token.isEmpty() ? QByteArray() : "Authorization: Bearer " + token + "\r\n")
        + "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n" + extra
        + "\r\n" + body;
}

QByteArray get(quint16 port, const QByteArray &path, const QByteArray &token = {}, const QByteArray &extra = {})
{
    return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port) + "\r\n"
        + (token.isEmpty() ? QByteArray() : "Authorization: Bearer " + token + "\r\n") + extra + "\r\n";
}

// The chunked body of `response` decoded; `rest` gets what follows its last chunk.
QByteArray dechunk(const QByteArray &response, QByteArray *rest, bool *whole)
{
    QByteArray body;
    qsizetype pos = response.indexOf("\r\n\r\n") + 4;
    *whole = false;
    for (;;) {
        const qsizetype lineEnd = response.indexOf("\r\n", pos);
        if (lineEnd < 0)
            return body;
        bool ok = false;
        const qint64 size = response.mid(pos, lineEnd - pos).toLongLong(&ok, 16);
        if (!ok)
            return body;
        pos = lineEnd + 2;
        if (size == 0) {
            *whole = response.mid(pos, 2) == "\r\n";
            *rest = response.mid(pos + 2);
            return body;
        }
        body += response.mid(pos, size);
        pos += size + 2;
    }
}

} // namespace

class TstServerHostile : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<test::ServerProcess> startServer(const QStringList &extra = {}, const QString &llmUrl = {},
                                                     int fileLimit = 0, bool tokens = true);
    void expectServes(test::ServerProcess &server, bool tokens = true);

    QTemporaryDir m_home;
    QString m_tokens;

private Q_SLOTS:
    void initTestCase();

    void bareLfHeadWithHugeLengthIsNotRead();
    void duplicateContentLengthIsNotRead();
    void tokenIsCheckedBeforeTheBody();
    void slowDripHeadIsCut();
    void slowDripBodyIsCut();
    void idleConnectionsDoNotStarveHealthz();
    void acceptBacksOffWithoutDescriptors();
    void connectionCapClosesTheLongestIdle();
    void pipelinedRequestNeverEntersAStream();
    void insecureNoAuthRefusesOtherSites();
    void connectionCloseAndHttp10AreHonoured();
    void controlBytesAreEscapedInTheLog();
    void streamsPerTokenAreCapped();
};

void TstServerHostile::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_home.isValid());
    QVERIFY2(QFileInfo(test::binDir() + u"/invoke-server"_s).isExecutable(),
             "build invoke-server first (it is a dependency of tst_server_hostile)");
    m_tokens = m_home.filePath(u"tokens.txt"_s);
    QSaveFile file(m_tokens);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(kTokenAcme + " acme\n" + kTokenBeta + " beta\n");
    QVERIFY(file.commit());
    QFile::setPermissions(m_tokens, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    raiseOwnFileLimit(); // thousands of client sockets in this process
}

std::unique_ptr<test::ServerProcess> TstServerHostile::startServer(const QStringList &extra, const QString &llmUrl,
                                                                   int fileLimit, bool tokens)
{
    const QStringList auth = tokens ? QStringList{u"--tokens"_s, m_tokens} : QStringList{u"--insecure-no-auth"_s};
    QProcessEnvironment environment = test::ServerProcess::scratchEnvironment(m_home.path(), llmUrl);
    if (fileLimit > 0 && !withoutVptrCheck(environment, m_home.filePath(u"starved-server.ubsan.supp"_s)))
        return nullptr;
    return test::ServerProcess::launch(
        auth + QStringList{u"--cache"_s, test::ServerProcess::cacheFileForTest(m_home.path())} + extra,
        environment, [fileLimit](test::ServerProcess &server) {
            if (fileLimit > 0) {
                server.process().setChildProcessModifier([fileLimit] {
                    const rlimit limit{rlim_t(fileLimit), rlim_t(fileLimit)};
                    ::setrlimit(RLIMIT_NOFILE, &limit);
                });
            }
        });
}

void TstServerHostile::expectServes(test::ServerProcess &server, bool tokens)
{
    QVERIFY2(server.process().state() == QProcess::Running, qPrintable(server.log().right(3000)));
    RawClient health(server.port());
    health.send(get(server.port(), "/healthz", {}, "Connection: close\r\n"));
    QVERIFY2(health.waitClosed(), health.received.constData());
    QCOMPARE(health.status(), 200);
    if (!tokens)
        return;
    RawClient bots(server.port());
    bots.send(get(server.port(), "/bots", kTokenAcme, "Connection: close\r\n"));
    QVERIFY2(bots.waitClosed(), bots.received.constData());
    QCOMPARE(bots.status(), 200);
    QVERIFY2(bots.body().contains("\"chat\""), bots.body().left(300).constData());
}

void TstServerHostile::bareLfHeadWithHugeLengthIsNotRead()
{
    // Issue 10: this head made the server read the whole gigabyte before its 401.
    auto server = startServer();
    QVERIFY(server);
    RawClient client(server->port());
    QVERIFY(client.waitConnected());
    client.send("POST /bots/chat/invoke HTTP/1.1\nHost: 127.0.0.1\nContent-Length: 1000000000\n\n");
    const QByteArray megabyte(1024 * 1024, 'x');
    for (int i = 0; i < 16; ++i)
        client.send(megabyte);
    QVERIFY2(client.waitClosed(), client.received.constData());
    QCOMPARE(client.status(), 400);
    QVERIFY2(client.error().contains(u"bare LF"_s), client.body().constData());
    const qint64 peakKb = statusField(server->process().processId(), "VmHWM");
    qInfo("peak RSS of the server: %lld kB", peakKb);
    QVERIFY2(peakKb > 0 && peakKb < 200 * 1024, qPrintable(u"peak RSS %1 kB"_s.arg(peakKb)));
    QTRY_VERIFY2(server->log().contains(u"POST /bots/chat/invoke 400 org=- "_s), qPrintable(server->log()));
    expectServes(*server);
}

void TstServerHostile::duplicateContentLengthIsNotRead()
{
    auto server = startServer();
    QVERIFY(server);
    RawClient client(server->port());
    QVERIFY(client.waitConnected());
    client.send("POST /bots/chat/invoke HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 300000000\r\n"
                "Content-Length: 0\r\n\r\n");
    const QByteArray megabyte(1024 * 1024, 'x');
    for (int i = 0; i < 16; ++i)
        client.send(megabyte);
    QVERIFY2(client.waitClosed(), client.received.constData());
    QCOMPARE(client.status(), 400);
    QVERIFY2(client.error().contains(u"a second Content-Length"_s), client.body().constData());
    QVERIFY(client.head().contains("connection: close"));
    const qint64 peakKb = statusField(server->process().processId(), "VmHWM");
    qInfo("peak RSS of the server: %lld kB", peakKb);
    QVERIFY2(peakKb > 0 && peakKb < 200 * 1024, qPrintable(u"peak RSS %1 kB"_s.arg(peakKb)));
    expectServes(*server);
}

void TstServerHostile::tokenIsCheckedBeforeTheBody()
{
    // A well-framed head under --max-body without a token: 401 and close, with not one
    // byte of the announced body sent. Then the same with an unknown token.
    auto server = startServer();
    QVERIFY(server);
    for (const QByteArray &authorization : {QByteArray(), QByteArray("Authorization: Bearer not-a-token-we-know-at-all\r\n")}) {
        RawClient client(server->port());
        client.send("POST /bots/chat/invoke HTTP/1.1\r\nHost: 127.0.0.1\r\n" + authorization
                    + "Content-Type: application/json\r\nContent-Length: 900000\r\n\r\n");
        QVERIFY2(client.waitClosed(), client.received.constData());
        QCOMPARE(client.status(), 401);
        QVERIFY(client.head().contains("www-authenticate: bearer"));
        QVERIFY(client.head().contains("connection: close"));
    }
    QTRY_VERIFY2(server->log().contains(u"POST /bots/chat/invoke 401 org=- 0ms refused before reading the body"_s),
                 qPrintable(server->log()));

    // A chunked body is counted as it arrives: over --max-body is cut at once.
    RawClient chunked(server->port());
    chunked.send(post(server->port(), "/bots/chat/invoke", kTokenAcme, {}).replace("Content-Length: 0", "Transfer-Encoding: chunked"));
    const QByteArray chunk = QByteArray::number(256 * 1024, 16) + "\r\n" + QByteArray(256 * 1024, ' ') + "\r\n";
    for (int i = 0; i < 8; ++i)
        chunked.send(chunk);
    QVERIFY2(chunked.waitClosed(), chunked.received.constData());
    QCOMPARE(chunked.status(), 413);
    expectServes(*server);
}

void TstServerHostile::slowDripHeadIsCut()
{
    // One byte every 250 ms keeps the connection far from --idle-timeout (60 s), but the
    // head must be complete within --head-timeout (1 s here) of its first byte.
    auto server = startServer({u"--head-timeout"_s, u"1"_s});
    QVERIFY(server);
    RawClient drip(server->port());
    QVERIFY(drip.waitConnected());
    const QByteArray head = "GET /bots HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Drip: " + QByteArray(400, 'a') + "\r\n\r\n";
    qsizetype sent = 0;
    while (!drip.closed && sent < head.size()) {
        drip.send(head.mid(sent++, 1));
        QTest::qWait(250);
    }
    QVERIFY2(drip.closed, "the connection outlived its head deadline by minutes");
    QCOMPARE(drip.status(), 408);
    QVERIFY2(drip.error().contains(u"--head-timeout"_s), drip.body().constData());
    QVERIFY(sent < head.size());
    expectServes(*server);
}

void TstServerHostile::slowDripBodyIsCut()
{
    // A client with a good token is admitted, then drips its body a byte every 250 ms:
    // never idle, never over --max-body, but the body must be complete within
    // --body-timeout (1 s here) of its head, or the connection would be held for hours.
    auto server = startServer({u"--body-timeout"_s, u"1"_s});
    QVERIFY(server);
    RawClient drip(server->port());
    QVERIFY(drip.waitConnected());
    const QByteArray body = R"({"messages": [{"role": "user", "content": ")" + QByteArray(400, 'a') + R"("}]})";
    const QByteArray request = post(server->port(), "/bots/chat/invoke", kTokenAcme, body);
    const qsizetype headEnd = request.indexOf("\r\n\r\n") + 4;
    drip.send(request.first(headEnd));
    qsizetype sent = headEnd;
    while (!drip.closed && sent < request.size()) {
        drip.send(request.mid(sent++, 1));
        QTest::qWait(250);
    }
    QVERIFY2(drip.closed, "the connection outlived its body deadline by minutes");
    QCOMPARE(drip.status(), 408);
    QVERIFY2(drip.error().contains(u"--body-timeout"_s), drip.body().constData());
    QVERIFY(sent < request.size());
    expectServes(*server);
}

void TstServerHostile::idleConnectionsDoNotStarveHealthz()
{
    auto server = startServer();
    QVERIFY(server);
    const qint64 pid = server->process().processId();
    QTRY_VERIFY2(server->log().contains(u"connections (file limit "_s), qPrintable(server->log()));
    constexpr int kIdle = 2000;
    std::vector<std::unique_ptr<QTcpSocket>> idle;
    for (int i = 0; i < kIdle; ++i) {
        idle.push_back(std::make_unique<QTcpSocket>());
        idle.back()->connectToHost(QHostAddress::LocalHost, server->port());
    }
    QTRY_VERIFY_WITH_TIMEOUT(std::all_of(idle.cbegin(), idle.cend(), [](const auto &s) {
        return s->state() == QAbstractSocket::ConnectedState;
    }), 60000);
    // The server holds them all (not just the kernel's backlog).
    QTRY_VERIFY_WITH_TIMEOUT(QDir(u"/proc/%1/fd"_s.arg(pid)).entryList(QDir::Files | QDir::System).size() > kIdle, 60000);
    RawClient slow(server->port());
    slow.send("GET /bots HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");

    RawClient health(server->port());
    health.send(get(server->port(), "/healthz", {}, "Connection: close\r\n"));
    QVERIFY2(health.waitClosed(), health.received.constData());
    QCOMPARE(health.status(), 200);
    QVERIFY(std::all_of(idle.cbegin(), idle.cend(), [](const auto &s) { return s->state() == QAbstractSocket::ConnectedState; }));
    idle.clear();
    expectServes(*server);
}

void TstServerHostile::acceptBacksOffWithoutDescriptors()
{
    // 128 descriptors and a connection cap above them, so accept() itself fails: the server
    // pauses accepting (it does not spin on the pending connection), frees a descriptor by
    // closing the longest-idle connection, and serves again. (In the ASan/UBSan build this
    // server runs without UBSan's vptr check, which needs free descriptors: withoutVptrCheck.)
    auto server = startServer({u"--max-connections"_s, u"1000"_s}, {}, 128);
    QVERIFY(server);
    const qint64 pid = server->process().processId();
    QTRY_VERIFY2(server->log().contains(u"1000 connections (file limit 128)"_s), qPrintable(server->log()));
    std::vector<std::unique_ptr<QTcpSocket>> idle;
    for (int i = 0; i < 200; ++i) {
        idle.push_back(std::make_unique<QTcpSocket>());
        idle.back()->connectToHost(QHostAddress::LocalHost, server->port());
    }
    QTRY_VERIFY2_WITH_TIMEOUT(server->log().contains(u"out of file descriptors (Too many open files): pausing new connections"_s),
                              qPrintable(server->log().right(2000)), 30000);
    // A server that spins burns a whole core; this one waits. (Half a core over 3 s of
    // wall time is far above the idle server and far below a spinning one.)
    const qint64 before = cpuTicks(pid);
    QTest::qWait(3000);
    const qint64 used = cpuTicks(pid) - before;
    qInfo("CPU of the server while 200 clients wait for 128 descriptors: %lld ticks in 3 s", used);
    QVERIFY2(used >= 0 && used < 3 * sysconf(_SC_CLK_TCK) / 2, qPrintable(u"%1 ticks of CPU in 3 s"_s.arg(used)));
    QVERIFY(server->process().state() == QProcess::Running);

    idle.clear(); // the idle clients go
    expectServes(*server);
}

void TstServerHostile::connectionCapClosesTheLongestIdle()
{
    // --max-connections 20: twenty kept-alive connections, each answered once (the first
    // is the longest idle). A new one is served, and the first one pays for it.
    test::OpenAiStubServer llm;
    QVERIFY(llm.listen());
    test::StubReply answer = test::StubReply::text({u"Held"_s, u" answer."_s});
    answer.holdAfter = 1;
    llm.setReply(answer);
    QSignalSpy held(&llm, &test::OpenAiStubServer::held);
    auto server = startServer({u"--max-connections"_s, u"20"_s}, llm.baseUrl());
    QVERIFY(server);
    const quint16 port = server->port();
    std::vector<std::unique_ptr<RawClient>> kept;
    for (int i = 0; i < 20; ++i) {
        kept.push_back(std::make_unique<RawClient>(port));
        kept.back()->send(get(port, "/healthz"));
        QVERIFY(kept.back()->waitAnswer());
        QCOMPARE(kept.back()->status(), 200);
        QTest::qWait(5); // a clear order of who was idle longest
    }
    RawClient newcomer(port);
    newcomer.send(get(port, "/healthz", {}, "Connection: close\r\n"));
    QVERIFY2(newcomer.waitClosed(), newcomer.received.constData());
    QCOMPARE(newcomer.status(), 200);
    QVERIFY(kept.front()->waitClosed());
    QVERIFY(std::none_of(kept.cbegin() + 1, kept.cend(), [](const auto &c) { return c->closed; }));
    QTRY_VERIFY2(server->log().contains(u"20 connections, the most (--max-connections)"_s), qPrintable(server->log()));
    kept.clear();

    // A request in flight is never closed for a newcomer: with every connection carrying a
    // stream, the newcomer gets 503.
    std::vector<std::unique_ptr<RawClient>> streams;
    const QByteArray live = dumpJson(Json{{"messages", Json::array({{{"role", "user"}, {"content", "Hi"}}})}, {"mode", "live"}});
    for (int i = 0; i < 20; ++i) {
        streams.push_back(std::make_unique<RawClient>(port));
        streams.back()->send(post(port, "/bots/chat/invoke", i % 2 ? kTokenAcme : kTokenBeta, live));
    }
    QTRY_COMPARE_WITH_TIMEOUT(held.count(), 20, 60000);
    RawClient busy(port);
    QVERIFY2(busy.waitClosed(), busy.received.constData());
    QCOMPARE(busy.status(), 503);
    QVERIFY2(busy.error().contains(u"--max-connections"_s), busy.body().constData());
    QVERIFY(std::none_of(streams.cbegin(), streams.cend(), [](const auto &c) { return c->closed; }));
    llm.release();
    for (const auto &stream : streams) {
        QVERIFY(stream->waitClosed(60000));
        QVERIFY(stream->received.contains("invocation_finished"));
    }
    expectServes(*server);
}

void TstServerHostile::pipelinedRequestNeverEntersAStream()
{
    // A run and a listing in one write: the stream is the only answer on the connection,
    // it says Connection: close and ends the connection; the listing is never read.
    auto server = startServer();
    QVERIFY(server);
    const QByteArray both = post(server->port(), "/bots/chat/invoke", kTokenAcme, manualChatBody())
        + get(server->port(), "/bots", kTokenAcme);
    for (int round = 0; round < 30; ++round) {
        RawClient client(server->port());
        client.send(both);
        QVERIFY2(client.waitClosed(30000), client.received.right(500).constData());
        QCOMPARE(client.status(), 200);
        QVERIFY(client.head().contains("content-type: text/event-stream"));
        QVERIFY(client.head().contains("connection: close"));
        QCOMPARE(client.received.count("HTTP/1.1 "), 1);
        QByteArray rest;
        bool whole = false;
        const QByteArray events = dechunk(client.received, &rest, &whole);
        QVERIFY2(whole, client.received.right(500).constData());
        QVERIFY2(rest.isEmpty(), rest.left(300).constData());
        QVERIFY2(!events.contains("\"bots\""), events.left(300).constData());
        QList<Event> decoded;
        wire::EventStreamDecoder decoder;
        decoder.feed(events, decoded);
        QVERIFY(!decoded.isEmpty());
        QCOMPARE(wire::kindOf(decoded.last()), EventKind::InvocationFinished);
        QCOMPARE(stringField(wire::payloadOf(decoded.last().json()), "status"), u"success"_s);
    }
    QVERIFY2(!server->log().contains(u"GET /bots "_s), qPrintable(server->log()));
    expectServes(*server);
}

void TstServerHostile::insecureNoAuthRefusesOtherSites()
{
    auto server = startServer({}, {}, 0, false);
    QVERIFY(server);
    const quint16 port = server->port();
    const QByteArray body = manualChatBody();
    auto request = [&](const QByteArray &host, const QByteArray &origin, const QByteArray &type) {
        auto client = std::make_unique<RawClient>(port);
        client->send("POST /bots/chat/invoke HTTP/1.1\r\nHost: " + host + "\r\n"
                     + (origin.isEmpty() ? QByteArray() : "Origin: " + origin + "\r\n") + "Content-Type: " + type
                     + "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body);
        client->waitClosed();
        return client;
    };
    const QByteArray local = "127.0.0.1:" + QByteArray::number(port);
    auto r = request("evil.example:1234", "http://evil.example", "text/plain");
    QCOMPARE(r->status(), 403);
    QVERIFY2(r->error().contains(u"Host \"evil.example:1234\" is not this server"_s), r->body().constData());
    r = request("evil.example:" + QByteArray::number(port), {}, "application/json"); // DNS rebinding
    QCOMPARE(r->status(), 403);
    r = request(local, "http://evil.example", "application/json");
    QCOMPARE(r->status(), 403);
    QVERIFY2(r->error().contains(u"Origin \"http://evil.example\""_s), r->body().constData());
    r = request(local, "null", "application/json");
    QCOMPARE(r->status(), 403);
    r = request(local, {}, "text/plain");
    QCOMPARE(r->status(), 415);
    r = request(local, {}, "application/x-www-form-urlencoded");
    QCOMPARE(r->status(), 415);
    RawClient listing(port);
    listing.send("GET /bots HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n");
    QVERIFY(listing.waitClosed());
    QCOMPARE(listing.status(), 403);
    QVERIFY2(!server->log().contains(u"POST /bots/chat/invoke 200"_s), qPrintable(server->log()));

    // This machine's own page and tools still work.
    r = request("localhost:" + QByteArray::number(port), "http://localhost:" + QByteArray::number(port),
                "application/json; charset=utf-8");
    QCOMPARE(r->status(), 200);
    QVERIFY(r->received.contains("invocation_finished"));
    r = request("[::1]:" + QByteArray::number(port), {}, "application/json");
    QCOMPARE(r->status(), 200);
    QTRY_COMPARE(server->log().count(u"POST /bots/chat/invoke 200 org=local"_s), 2);
    expectServes(*server, false);
}

void TstServerHostile::connectionCloseAndHttp10AreHonoured()
{
    auto server = startServer({u"--idle-timeout"_s, u"120"_s});
    QVERIFY(server);
    const quint16 port = server->port();
    // Closed right after the answer, long before the idle timeout.
    RawClient close(port);
    close.send(get(port, "/bots", kTokenAcme, "Connection: close\r\n"));
    QVERIFY2(close.waitClosed(), close.received.left(300).constData());
    QCOMPARE(close.status(), 200);
    QVERIFY(close.head().contains("connection: close"));

    RawClient old(port);
    old.send("GET /healthz HTTP/1.0\r\n\r\n");
    QVERIFY2(old.waitClosed(), old.received.constData());
    QCOMPARE(old.status(), 200);

    // An HTTP/1.0 stream is not chunked: its end is the close.
    RawClient oldStream(port);
    const QByteArray body = manualChatBody();
    oldStream.send("POST /bots/chat/invoke HTTP/1.0\r\nAuthorization: Bearer " + kTokenAcme
                   + "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body);
    QVERIFY(oldStream.waitClosed());
    QCOMPARE(oldStream.status(), 200);
    QVERIFY(!oldStream.head().contains("transfer-encoding"));
    QList<Event> events;
    wire::EventStreamDecoder decoder;
    decoder.feed(oldStream.body(), events);
    QVERIFY(!events.isEmpty());
    QCOMPARE(wire::kindOf(events.last()), EventKind::InvocationFinished);

    // Without either, HTTP/1.1 keeps the connection: two answers on one, in order.
    RawClient kept(port);
    kept.send(get(port, "/healthz") + get(port, "/bots", kTokenAcme));
    QVERIFY(QTest::qWaitFor([&] { return kept.received.count("HTTP/1.1 200 OK") == 2 || kept.closed; }, kLiveMs));
    QCOMPARE(kept.received.count("HTTP/1.1 200 OK"), 2);
    QVERIFY(kept.received.indexOf("\"status\"") < kept.received.indexOf("\"bots\""));
    QVERIFY(!kept.closed);
    expectServes(*server);
}

void TstServerHostile::controlBytesAreEscapedInTheLog()
{
    // A path with terminal escape codes: refused, and logged with the codes escaped.
    auto server = startServer();
    QVERIFY(server);
    RawClient client(server->port());
    client.send("GET /bots\x1b]0;owned\x07\x1b[2J HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    QVERIFY(client.waitClosed());
    QCOMPARE(client.status(), 400);
    QTRY_VERIFY2(server->log().contains(u"GET /bots\\x1b]0;owned\\x07\\x1b[2J 400 org=- "_s), qPrintable(server->log()));
    QVERIFY2(!server->log().contains(QChar(0x1b)) && !server->log().contains(QChar(0x07)), qPrintable(server->log()));
    expectServes(*server);
}

void TstServerHostile::streamsPerTokenAreCapped()
{
    // 64 runs of one token held in their LLM step; the 65th stream of that token gets 429,
    // another token still streams, and once the runs end the token streams again.
    test::OpenAiStubServer llm;
    QVERIFY(llm.listen());
    test::StubReply answer = test::StubReply::text({u"Held"_s, u" answer."_s});
    answer.holdAfter = 1;
    llm.setReply(answer);
    QSignalSpy held(&llm, &test::OpenAiStubServer::held);
    auto server = startServer({}, llm.baseUrl());
    QVERIFY(server);
    const quint16 port = server->port();
    const QByteArray live = dumpJson(Json{{"messages", Json::array({{{"role", "user"}, {"content", "Hi"}}})}, {"mode", "live"}});

    std::vector<std::unique_ptr<RawClient>> streams;
    for (int i = 0; i < 64; ++i) {
        streams.push_back(std::make_unique<RawClient>(port));
        streams.back()->send(post(port, "/bots/chat/invoke", kTokenAcme, live));
    }
    QTRY_COMPARE_WITH_TIMEOUT(held.count(), 64, 120000);

    RawClient refused(port);
    refused.send(post(port, "/bots/chat/invoke", kTokenAcme, live, "Connection: close\r\n"));
    QVERIFY2(refused.waitClosed(), refused.received.constData());
    QCOMPARE(refused.status(), 429);
    QVERIFY2(refused.error().contains(u"--max-streams-per-token"_s), refused.body().constData());
    QCOMPARE(llm.requestCount(), 64); // no run started for it

    RawClient other(port);
    other.send(post(port, "/bots/chat/invoke", kTokenBeta, live));
    QTRY_COMPARE_WITH_TIMEOUT(held.count(), 65, 60000);
    QCOMPARE(other.status(), 200);

    llm.release();
    for (const auto &stream : streams) {
        QVERIFY(stream->waitClosed(60000));
        QCOMPARE(stream->status(), 200);
        QVERIFY(stream->received.contains("invocation_finished"));
    }
    QVERIFY(other.waitClosed(60000));

    RawClient again(port);
    again.send(post(port, "/bots/chat/invoke", kTokenAcme, manualChatBody()));
    QVERIFY(again.waitClosed(30000));
    QCOMPARE(again.status(), 200);
    expectServes(*server);
}

QTEST_GUILESS_MAIN(TstServerHostile)
#include "tst_server_hostile.moc"
