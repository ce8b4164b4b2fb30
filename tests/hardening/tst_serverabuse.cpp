// invoke-server under load and abuse (issue 20, part 3): the real build/bin/invoke-server
// driven over loopback with bare sockets (tests/hardening/rawconnection.h). Each abuse gets
// a clear 4xx, a 503 or a closed connection within a bounded time; meanwhile a normal
// client is served; afterwards the server's resident memory (VmRSS from /proc) is printed
// beside its baseline and checked only loosely. Deadlines are generous: a loaded 2-core
// machine. Label `hardening`, part of the normal run.
#include "tests/hardening/rawconnection.h"
#include "tests/support/serverprocess.h"
#include "tests/support/testpaths.h"

#include "core/model/json/json.h"

#include <QtCore/QDir>
#include <QtCore/QElapsedTimer>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QHash>
#include <QtCore/QSaveFile>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

#include <sys/resource.h>

#include <algorithm>
#include <memory>
#include <vector>

using namespace Qt::StringLiterals;
using namespace invoke;
using test::RawConnection;

namespace {

const QByteArray kToken = "abuse-test-token-0123456789";
// Under AddressSanitizer the server's resident memory says nothing about what it holds:
// freed blocks wait in ASan's quarantine (256 MB by default) and ASan's allocator ignores
// malloc_trim (app/server/http/freedmemory.h), so the RSS checks are left out there; the
// abuse, its answers and the liveness checks run the same (with longer deadlines: kAnswerMs).
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kUnderAsan = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kUnderAsan = true;
#else
constexpr bool kUnderAsan = false;
#endif
#else
constexpr bool kUnderAsan = false;
#endif

// A refused request's answer, or a normal client's while the abuse goes on: generous for a
// loaded machine. Under ASan everything the server does is several times slower: while 500
// runs stream at once (each on its own thread), /healthz took 8 to 18 s and /bots 20 s to
// over 30 s on the 2 cores, 0 and 2 ms once the streams were dropped.
constexpr int kAnswerMs = kUnderAsan ? 120000 : 30000;
constexpr int kIdleConnections = 5000;
constexpr int kNonReaders = 500;

qint64 residentKb(qint64 pid)
{
    QFile file(u"/proc/%1/status"_s.arg(pid));
    if (!file.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : file.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    return -1;
}

qsizetype openFiles(qint64 pid)
{
    return QDir(u"/proc/%1/fd"_s.arg(pid)).entryList(QDir::Files | QDir::System).size();
}

QByteArray request(const QByteArray &method, const QByteArray &target, const QByteArray &body = {},
                   const QByteArray &extraHeaders = {})
{
    QByteArray head = method + ' ' + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + kToken
        + "\r\nConnection: close\r\n" + extraHeaders;
    if (!body.isEmpty() || method == "POST")
        head += "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n";
    return head + "\r\n" + body;
}

// A manual-mode run of the bundled chat bot whose answer is `content`.
QByteArray manualChat(const QByteArray &content)
{
    return "{\"messages\": [{\"role\": \"user\", \"content\": \"Hello\"}], \"mode\": \"manual\", "
           "\"manual_mocks\": {\"answer\": {\"status\": \"success\", \"output\": {\"content\": \""
        + content + "\"}}}}";
}

} // namespace

class TstServerAbuse : public QObject
{
    Q_OBJECT

private:
    static void rounds()
    {
        // INVOKE_ABUSE_ROUNDS=N repeats the abuse N times (default 2), e.g. to hunt a slow leak.
        QTest::addColumn<int>("round");
        const int rounds = qMax(2, qEnvironmentVariableIntValue("INVOKE_ABUSE_ROUNDS"));
        for (int round = 1; round <= rounds; ++round)
            QTest::newRow(qPrintable(u"round %1"_s.arg(round))) << round;
    }
    // Sends `bytes` on a new connection and reads the answer until the server closes.
    QByteArray exchange(const QByteArray &bytes, int timeoutMs = kAnswerMs);
    // A normal client is served: /healthz, /bots with the token, and a whole manual run.
    void expectServes(const char *during);
    // The answer to `bytes` is `status` with an "error" text, and the connection closed.
    void expectRefused(const QByteArray &bytes, int status, const char *what);
    // Prints the server's RSS against `baselineKb` and checks it came back near it. In a
    // second round of the same abuse (QFETCH round 2) it must also not have grown past the
    // first round's: what one round leaves behind is the allocator's, not a leak.
    void reportMemory(const char *what, qint64 baselineKb, qint64 peakKb);

    QTemporaryDir m_home;
    std::unique_ptr<test::ServerProcess> m_server;
    qint64 m_pid = 0;
    qint64 m_startKb = 0; // the server's RSS once it has served its first requests
    QHash<QString, qint64> m_afterFirstRound; // by test function: RSS after its first round

private Q_SLOTS:
    void initTestCase();
    void oversizedHeadsAndUrls();
    void invalidUtf8AndLoneSurrogates();
    void bodiesThatEndEarly();
    void fiveThousandIdleConnections_data() { rounds(); }
    void fiveThousandIdleConnections();
    void clientsThatNeverReadTheirStream_data() { rounds(); }
    void clientsThatNeverReadTheirStream();
    void cleanupTestCase();
};

void TstServerAbuse::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_home.isValid());
    QVERIFY2(QFileInfo(test::binDir() + u"/invoke-server"_s).isExecutable(),
             "build invoke-server first (it is a dependency of tst_serverabuse)");
    // Thousands of sockets in this process and in the server (which raises its own limit
    // to the hard one at start, as this does).
    rlimit limit{};
    ::getrlimit(RLIMIT_NOFILE, &limit);
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
    ::getrlimit(RLIMIT_NOFILE, &limit);
    QVERIFY2(limit.rlim_cur == RLIM_INFINITY || limit.rlim_cur >= rlim_t(kIdleConnections + kNonReaders + 512),
             qPrintable(u"the hard file limit is %1: this test opens %2 connections (raise it, e.g. ulimit -Hn 20000)"_s
                            .arg(qulonglong(limit.rlim_cur)).arg(kIdleConnections)));

    const QString tokens = m_home.filePath(u"tokens.txt"_s);
    QSaveFile file(tokens);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(kToken + " abuse\n");
    QVERIFY(file.commit());
    QFile::setPermissions(tokens, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    // Short timeouts so that abusers are cut within the test's time; a small unsent limit
    // so that a stream to a client that never reads is dropped early.
    m_server = test::ServerProcess::launch(
        {u"--tokens"_s, tokens, u"--cache"_s, test::ServerProcess::cacheFileForTest(m_home.path()),
         u"--idle-timeout"_s, u"6"_s, u"--head-timeout"_s, u"3"_s, u"--body-timeout"_s, u"3"_s,
         u"--max-unsent"_s, u"65536"_s, u"--max-streams-per-token"_s, u"2000"_s},
        test::ServerProcess::scratchEnvironment(m_home.path()));
    QVERIFY(m_server);
    m_pid = m_server->process().processId();
    expectServes("at start");
    m_startKb = residentKb(m_pid);
}

void TstServerAbuse::cleanupTestCase()
{
    if (m_server)
        QCOMPARE(m_server->terminate(), 0);
}

QByteArray TstServerAbuse::exchange(const QByteArray &bytes, int timeoutMs)
{
    RawConnection c(m_server->port());
    if (!c.valid() || !QTest::qWaitFor([&] { return c.established() || c.closedByServer(); }, timeoutMs))
        return {};
    c.send(bytes, timeoutMs);
    return c.readUntilClosed(timeoutMs);
}

void TstServerAbuse::expectServes(const char *during)
{
    QVERIFY2(m_server->process().state() == QProcess::Running,
             qPrintable(u"the server is gone (%1): %2"_s.arg(QLatin1String(during), m_server->log().right(3000))));
    QElapsedTimer clock;
    clock.start();
    const QByteArray health = exchange("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    const qint64 healthMs = clock.restart();
    QVERIFY2(test::httpStatus(health) == 200, qPrintable(u"/healthz %1 (%2 ms): "_s.arg(QLatin1String(during)).arg(healthMs)
                                                         + QString::fromUtf8(health.left(300))));
    const QByteArray bots = exchange(request("GET", "/bots"));
    const qint64 botsMs = clock.restart();
    QVERIFY2(test::httpStatus(bots) == 200 && bots.contains("\"chat\""),
             qPrintable(u"/bots %1 (%2 ms): "_s.arg(QLatin1String(during)).arg(botsMs) + QString::fromUtf8(bots.left(300))));
    const QByteArray run = exchange(request("POST", "/bots/chat/invoke", manualChat("Served meanwhile")));
    const qint64 runMs = clock.elapsed();
    QVERIFY2(test::httpStatus(run) == 200 && run.contains("invocation_finished") && run.contains("Served meanwhile"),
             qPrintable(u"a run %1 (%2 ms): "_s.arg(QLatin1String(during)).arg(runMs) + QString::fromUtf8(run.right(500))));
    qInfo("served %s: /healthz in %lld ms, /bots in %lld ms, a run in %lld ms", during, healthMs, botsMs, runMs);
}

void TstServerAbuse::expectRefused(const QByteArray &bytes, int status, const char *what)
{
    const QByteArray answer = exchange(bytes);
    QVERIFY2(test::httpStatus(answer) == status,
             qPrintable(u"%1: expected %2, got: %3"_s.arg(QLatin1String(what)).arg(status).arg(QString::fromUtf8(answer.left(400)))));
    const QString error = test::httpErrorText(answer);
    QVERIFY2(!error.isEmpty(), qPrintable(u"%1: no error text in %2"_s.arg(QLatin1String(what), QString::fromUtf8(answer.left(400)))));
    qInfo("%s -> %d %s", what, status, qPrintable(error));
}

void TstServerAbuse::reportMemory(const char *what, qint64 baselineKb, qint64 peakKb)
{
    if (kUnderAsan) {
        qInfo("server RSS, %s %s: at the server's start %lld kB, before %lld kB, peak %lld kB, now %lld kB; not "
              "checked: under AddressSanitizer RSS is not meaningful (freed memory waits in its quarantine, "
              "malloc_trim is ignored)", what, QTest::currentDataTag() ? QTest::currentDataTag() : "", m_startKb,
              baselineKb, peakKb, residentKb(m_pid));
        return;
    }
    // Freed memory goes back a moment after the connections close (app/server/http/freedmemory.h).
    QTest::qWait(1500);
    const char *row = QTest::currentDataTag() ? QTest::currentDataTag() : "";
    const QString function = QString::fromLatin1(QTest::currentTestFunction());
    // Waits for the lower of the two marks checked below: on a loaded machine the runs the
    // abuse cancelled can take many seconds to unwind and give their memory back, while a
    // real leak never comes down however long it is given.
    qint64 targetKb = m_startKb + 16 * 1024;
    if (qstrcmp(row, "round 1") != 0 && m_afterFirstRound.contains(function))
        targetKb = qMin(targetKb, m_afterFirstRound.value(function) + 16 * 1024);
    qint64 afterKb = residentKb(m_pid);
    (void)QTest::qWaitFor([&] { return (afterKb = residentKb(m_pid)) < targetKb; }, 30000);
    qInfo("server RSS, %s %s: at the server's start %lld kB, before %lld kB, peak %lld kB, after %lld kB (%+lld kB "
          "from the start)", what, row, m_startKb, baselineKb, peakKb, afterKb, afterKb - m_startKb);
    // Loose on purpose (malloc keeps some of what it was given): a leak of the abuse's
    // size would be far above this.
    QVERIFY2(afterKb < m_startKb + 64 * 1024,
             qPrintable(u"the server kept %1 kB after %2"_s.arg(afterKb - m_startKb).arg(QLatin1String(what))));
    if (qstrcmp(row, "round 1") == 0)
        m_afterFirstRound.insert(function, afterKb);
    else if (m_afterFirstRound.contains(function))
        QVERIFY2(afterKb < m_afterFirstRound.value(function) + 16 * 1024,
                 qPrintable(u"a second round of %1 left %2 kB more than the first: a leak"_s.arg(QLatin1String(what))
                                .arg(afterKb - m_afterFirstRound.value(function))));
}

void TstServerAbuse::oversizedHeadsAndUrls()
{
    const qint64 baseline = residentKb(m_pid);
    expectRefused("GET /bots/" + QByteArray(100 * 1024, 'a') + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 431,
                  "a 100 KiB URL");
    expectRefused("GET /bots HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + QByteArray(70 * 1024, 'b') + "\r\n\r\n", 431,
                  "a 70 KiB header");
    QByteArray many = "GET /bots HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    for (int i = 0; i < 5000; ++i)
        many += "X-" + QByteArray::number(i) + ": v\r\n";
    expectRefused(many + "\r\n", 431, "5,000 header lines");
    // A head that stays under the limit and never ends: 408 after --head-timeout.
    expectRefused("GET /bots HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Long: " + QByteArray(60 * 1024, 'c'), 408,
                  "a head that never ends");
    // Sixty at once, each a megabyte of header: every one refused, nothing kept.
    std::vector<std::unique_ptr<RawConnection>> floods;
    for (int i = 0; i < 60; ++i)
        floods.push_back(std::make_unique<RawConnection>(m_server->port()));
    QVERIFY(QTest::qWaitFor([&] { return std::all_of(floods.cbegin(), floods.cend(), [](const auto &c) {
        return c->established() || c->closedByServer(); }); }, kAnswerMs));
    const QByteArray flood = "GET /bots HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Flood: " + QByteArray(1024 * 1024, 'f');
    for (const auto &c : floods)
        c->send(flood, 100); // the server stops taking it after 64 KiB
    QVERIFY2(QTest::qWaitFor([&] { return std::all_of(floods.cbegin(), floods.cend(), [](const auto &c) {
        return c->closedByServer(); }); }, kAnswerMs), "a flooding client's connection stayed open");
    floods.clear();
    expectServes("after oversized heads");
    reportMemory("oversized heads and URLs", baseline, baseline);
}

void TstServerAbuse::invalidUtf8AndLoneSurrogates()
{
    const qint64 baseline = residentKb(m_pid);
    struct Body
    {
        const char *what;
        QByteArray content; // inside the user message's JSON string
    };
    const QList<Body> bodies{{"invalid UTF-8 (a lone continuation byte)", "caf\x80"},
                             {"invalid UTF-8 (0xFF)", "\xff\xfe"},
                             {"an overlong encoding of '/'", "\xc0\xaf"},
                             {"a UTF-8-encoded surrogate (CESU)", "\xed\xa0\x80"},
                             {"a truncated sequence at the end", "abc\xe2\x82"},
                             {"a lone high surrogate escape", "\\ud800"},
                             {"a lone low surrogate escape", "\\udc00 tail"},
                             {"a high surrogate escape followed by a letter", "\\ud83dx"}};
    for (const Body &body : bodies) {
        const QByteArray json = "{\"messages\": [{\"role\": \"user\", \"content\": \"" + body.content + "\"}], "
                                "\"mode\": \"manual\", \"manual_mocks\": {\"answer\": {\"status\": \"success\"}}}";
        expectRefused(request("POST", "/bots/chat/invoke", json), 400, body.what);
    }
    // Invalid bytes where a name is expected: the request line and a header.
    const QByteArray badPath = exchange(request("GET", "/bots/\xc3\x28/plan"));
    QVERIFY2(test::httpStatus(badPath) == 404 || test::httpStatus(badPath) == 400, badPath.left(300).constData());
    QVERIFY(!test::httpErrorText(badPath).isEmpty());
    const QByteArray badEscape = exchange(request("GET", "/bots/%FF%FE/plan"));
    QVERIFY2(test::httpStatus(badEscape) == 404 || test::httpStatus(badEscape) == 400, badEscape.left(300).constData());
    const QByteArray badToken = exchange("GET /bots HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \xff\xfe"
                                         + kToken + "\r\nConnection: close\r\n\r\n");
    QCOMPARE(test::httpStatus(badToken), 401);
    // A bot parameter and a mock output with invalid UTF-8 are refused the same way.
    expectRefused(request("POST", "/bots/chat/invoke", "{\"parameters\": {\"tone\": \"\xf8\x88\x80\x80\x80\"}, \"mode\": \"manual\"}"),
                  400, "invalid UTF-8 in a parameter");
    expectRefused(request("POST", "/bots/chat/invoke", manualChat("\xfe")), 400, "invalid UTF-8 in a mock's output");
    expectServes("after invalid UTF-8");
    reportMemory("invalid UTF-8 and lone surrogates", baseline, baseline);
}

void TstServerAbuse::bodiesThatEndEarly()
{
    const qint64 baseline = residentKb(m_pid);
    const QByteArray body = manualChat("never complete");
    const QByteArray head = "POST /bots/chat/invoke HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + kToken
        + "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n";
    // Half the body, then the client stays: 408 after --body-timeout.
    expectRefused(head + body.left(body.size() / 2), 408, "half a body, then silence");
    // Half the body, then the client ends its side: the connection closes, no run starts.
    {
        RawConnection c(m_server->port());
        QVERIFY(QTest::qWaitFor([&] { return c.established(); }, kAnswerMs));
        QVERIFY(c.send(head + body.left(body.size() / 2)));
        c.shutdownWrite();
        const QByteArray answer = c.readUntilClosed(kAnswerMs);
        QVERIFY2(c.closedByServer(), answer.constData());
        QVERIFY2(!answer.contains("invocation_started"), answer.constData());
    }
    // A chunked body cut inside a chunk, and one without its last chunk.
    const QByteArray chunkedHead = "POST /bots/chat/invoke HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
        + kToken + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
    expectRefused(chunkedHead + QByteArray::number(body.size(), 16) + "\r\n" + body.left(10), 408,
                  "a chunk cut short");
    expectRefused(chunkedHead + QByteArray::number(body.size(), 16) + "\r\n" + body + "\r\n", 408,
                  "a chunked body without its last chunk");
    // Fifty at once, each stopping half-way: every one cut, none left behind.
    std::vector<std::unique_ptr<RawConnection>> stalled;
    for (int i = 0; i < 50; ++i)
        stalled.push_back(std::make_unique<RawConnection>(m_server->port()));
    QVERIFY(QTest::qWaitFor([&] { return std::all_of(stalled.cbegin(), stalled.cend(), [](const auto &c) {
        return c->established(); }); }, kAnswerMs));
    for (const auto &c : stalled)
        QVERIFY(c->send(head + body.left(20)));
    expectServes("while fifty bodies stall");
    QVERIFY2(QTest::qWaitFor([&] { return std::all_of(stalled.cbegin(), stalled.cend(), [](const auto &c) {
        return c->closedByServer(); }); }, kAnswerMs), "a stalled body's connection stayed open");
    stalled.clear();
    reportMemory("bodies that end early", baseline, baseline);
}

void TstServerAbuse::fiveThousandIdleConnections()
{
    const qint64 baseline = residentKb(m_pid);
    const qsizetype filesBefore = openFiles(m_pid);
    std::vector<std::unique_ptr<RawConnection>> idle;
    idle.reserve(kIdleConnections);
    // In waves, so the listen backlog is not the thing under test.
    for (int wave = 0; wave < kIdleConnections / 500; ++wave) {
        const size_t from = idle.size();
        for (int i = 0; i < 500; ++i) {
            idle.push_back(std::make_unique<RawConnection>(m_server->port()));
            QVERIFY2(idle.back()->valid(), qPrintable(u"socket(): %1"_s.arg(qt_error_string(idle.back()->error()))));
        }
        QVERIFY2(QTest::qWaitFor([&] { return std::all_of(idle.cbegin() + qsizetype(from), idle.cend(), [](const auto &c) {
            return c->established() || c->closedByServer(); }); }, 60000), "connections did not open");
    }
    // The server holds them all (not just the kernel's backlog).
    QVERIFY2(QTest::qWaitFor([&] { return openFiles(m_pid) >= filesBefore + kIdleConnections; }, 60000),
             qPrintable(u"the server holds %1 descriptors"_s.arg(openFiles(m_pid))));
    const qint64 peak = residentKb(m_pid);
    expectServes("with 5,000 idle connections");
    // Every idle one is closed after --idle-timeout (6 s), none left open.
    QVERIFY2(QTest::qWaitFor([&] { return std::all_of(idle.cbegin(), idle.cend(), [](const auto &c) {
        return c->closedByServer(); }); }, 90000),
             qPrintable(u"%1 idle connections still open"_s.arg(std::count_if(idle.cbegin(), idle.cend(), [](const auto &c) {
                 return !c->closedByServer(); }))));
    idle.clear();
    QVERIFY2(QTest::qWaitFor([&] { return openFiles(m_pid) <= filesBefore + 8; }, 30000),
             qPrintable(u"the server still holds %1 descriptors (%2 before)"_s.arg(openFiles(m_pid)).arg(filesBefore)));
    expectServes("after 5,000 idle connections");
    reportMemory("5,000 idle connections", baseline, peak);
}

void TstServerAbuse::clientsThatNeverReadTheirStream()
{
    const qint64 baseline = residentKb(m_pid);
    const qsizetype droppedBefore = m_server->log().count(u"client too slow"_s);
    // Each run answers 128 KiB, several times over in its events: more than a 4 KiB
    // receive buffer and the server's 64 KiB --max-unsent hold.
    const QByteArray run = request("POST", "/bots/chat/invoke", manualChat(QByteArray(128 * 1024, 'n')));
    std::vector<std::unique_ptr<RawConnection>> readers;
    readers.reserve(kNonReaders);
    for (int i = 0; i < kNonReaders; ++i)
        readers.push_back(std::make_unique<RawConnection>(m_server->port(), 4096));
    QVERIFY(QTest::qWaitFor([&] { return std::all_of(readers.cbegin(), readers.cend(), [](const auto &c) {
        return c->established() || c->closedByServer(); }); }, 60000));
    for (const auto &c : readers)
        QVERIFY(c->send(run, 30000));
    qint64 peak = baseline;
    expectServes("while 500 clients never read");
    // Each is dropped (too slow) or, its run over, closed when its last bytes do not leave.
    QVERIFY2(QTest::qWaitFor([&] {
        peak = qMax(peak, residentKb(m_pid));
        return std::all_of(readers.cbegin(), readers.cend(), [](const auto &c) { return c->closedByServer(); });
    }, 90000), qPrintable(u"%1 streams to clients that never read still open"_s.arg(std::count_if(readers.cbegin(), readers.cend(), [](const auto &c) {
                 return !c->closedByServer(); }))));
    readers.clear();
    qInfo("streams dropped as too slow: %lld of %d",
          qlonglong(m_server->log().count(u"client too slow"_s) - droppedBefore), kNonReaders);
    expectServes("after 500 clients that never read");
    reportMemory("500 clients that never read", baseline, peak);
}

QTEST_GUILESS_MAIN(TstServerAbuse)
#include "tst_serverabuse.moc"
