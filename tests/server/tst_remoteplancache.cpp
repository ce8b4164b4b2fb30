// The plans a remote backend keeps per bot version (core/backend/remoteplancache.h,
// docs/server.md "The stream"):
//  - the plan version (core/wire/planversion.h) covers the bot and each sub-bot its plan
//    reaches, and nothing else;
//  - a kept plan is found only under its own version: another version's plan written
//    under a name, or another bot's, is never used;
//  - trimming, least recently used first (a find is a use): versions per bot, files and
//    bytes in all; the file of an earlier build (one per bot, no version) goes;
//  - RemoteBackend against servers over loopback that name Invoke-Plan-Version, only
//    Invoke-Bot-Updated-At (an older invoke-server), or neither: which runs ask for the plan.
#include "tests/support/plaininvokeserver.h"

#include "core/backend/remotebackend.h"
#include "core/backend/invocation.h"
#include "core/backend/remoteplancache.h"
#include "core/wire/plancodec.h"
#include "core/wire/planversion.h"

#include <QtCore/QCryptographicHash>
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QTemporaryDir>
#include <QtNetwork/QTcpServer>
#include <QtNetwork/QTcpSocket>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace invoke;

namespace {

const QString kEndpoint = u"http://127.0.0.1:1"_s;

PlannedStep step(const QString &path, const QString &actionType, const QString &botKey, int depth,
                 const QString &botUpdatedAt = {})
{
    PlannedStep s;
    s.path = path;
    s.key = path.section(u'/', -1);
    s.actionType = actionType;
    s.botKey = botKey;
    s.depth = depth;
    s.line = 1;
    s.botUpdatedAt = botUpdatedAt;
    return s;
}

BotPlan plainPlan(const QString &key, const QDateTime &at)
{
    BotPlan plan;
    plan.botKey = key;
    plan.botName = key;
    plan.updatedAt = at;
    plan.steps = {step(u"answer"_s, u"llm.message"_s, key, 0)};
    return plan;
}

BotPlan nestedPlan(const QString &key, const QDateTime &at, const QString &subAt)
{
    BotPlan plan = plainPlan(key, at);
    plan.steps = {step(u"ask"_s, u"bot.invoke"_s, key, 0), step(u"ask/answer"_s, u"llm.message"_s, u"helper"_s, 1, subAt),
                  step(u"ask/tidy"_s, u"utils.echo"_s, u"helper"_s, 1, subAt)};
    return plan;
}

QByteArray bodyOf(const BotPlan &plan)
{
    return QByteArray::fromStdString(wire::planBody(plan).dump());
}

const QDateTime kAt(QDate(2026, 1, 2), QTime(3, 4, 5, 678), Qt::UTC);

// A server over loopback with one bot: POST /bots/{key}/invoke streams a short run whose
// head names what the test sets, GET /bots/{key}/plan answers the plan and is counted.
class VersionServer : public QTcpServer
{
public:
    BotPlan plan;
    QByteArray updatedAtHeader; // empty: not sent
    QByteArray planVersionHeader;
    int planRequests = 0;

    VersionServer()
    {
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = nextPendingConnection()) {
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
                connect(socket, &QTcpSocket::readyRead, socket, [this, socket] { read(socket); });
            }
        });
    }

private:
    void read(QTcpSocket *socket)
    {
        QByteArray &buffer = m_buffers[socket];
        buffer += socket->readAll();
        const qsizetype end = buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        const QByteArray head = buffer.left(end);
        qsizetype length = 0;
        for (const QByteArray &line : head.split('\n'))
            if (line.toLower().startsWith("content-length:"))
                length = line.mid(15).trimmed().toLongLong();
        if (buffer.size() < end + 4 + length)
            return;
        m_buffers.remove(socket);
        const QList<QByteArray> requestLine = head.left(head.indexOf('\r')).split(' ');
        const QByteArray path = requestLine.value(1);
        if (path.endsWith("/plan")) {
            ++planRequests;
            const QByteArray body = bodyOf(plan);
            socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: "
                          + QByteArray::number(body.size()) + "\r\n\r\n" + body);
        } else {
            QByteArray answer = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n";
            if (!updatedAtHeader.isEmpty())
                answer += "Invoke-Bot-Updated-At: " + updatedAtHeader + "\r\n";
            if (!planVersionHeader.isEmpty())
                answer += "Invoke-Plan-Version: " + planVersionHeader + "\r\n";
            answer += "\r\n: open\n\n";
            for (const Json &event : test::PlainInvokeServer::plainRun(plan.botName, {u"Hi."_s}))
                answer += "data: " + QByteArray::fromStdString(event.dump()) + "\n\n";
            socket->write(answer);
        }
        socket->disconnectFromHost();
    }

    QHash<QTcpSocket *, QByteArray> m_buffers;
};

} // namespace

class TstRemotePlanCache : public QObject
{
    Q_OBJECT

private:
    // One run of `server`'s bot through `backend`, and the plan its history would record.
    std::optional<BotPlan> runAndPlan(RemoteBackend &backend, const QString &key);
    static void age(const QString &folder, const QString &name, int secondsAgo);

private Q_SLOTS:
    void theVersionCoversTheBotAndItsSubBots();
    void aPlanIsFoundUnderItsOwnVersionOnly();
    void versionsOfOneBotAreTrimmed();
    void theFolderIsTrimmedByFilesAndBytes();
    void theFileOfAnEarlierBuildGoes();
    void whatEachServerGetsAskedFor();
};

void TstRemotePlanCache::age(const QString &folder, const QString &name, int secondsAgo)
{
    QFile file(folder + u'/' + name);
    QVERIFY(file.open(QIODevice::ReadWrite));
    QVERIFY(file.setFileTime(QDateTime::currentDateTimeUtc().addSecs(-secondsAgo), QFileDevice::FileModificationTime));
}

void TstRemotePlanCache::theVersionCoversTheBotAndItsSubBots()
{
    const BotPlan plain = plainPlan(u"bot"_s, kAt);
    const QString expected = QString::fromLatin1(
        QCryptographicHash::hash("bot\t2026-01-02T03:04:05.678Z\n", QCryptographicHash::Sha256).toHex());
    QCOMPARE(wire::planVersion(plain), expected);
    QCOMPARE(wire::planVersionOf(u"bot"_s, kAt), expected);
    QVERIFY(wire::isPlanVersion(expected));
    QVERIFY(!wire::isPlanVersion(expected.toUpper()));
    QVERIFY(!wire::isPlanVersion(expected.left(63)));

    const BotPlan nested = nestedPlan(u"bot"_s, kAt, u"2026-03-01T02:02:02.200Z"_s);
    QCOMPARE(wire::planVersion(nested),
             QString::fromLatin1(QCryptographicHash::hash("bot\t2026-01-02T03:04:05.678Z\nhelper\t2026-03-01T02:02:02.200Z\n",
                                                          QCryptographicHash::Sha256).toHex()));
    // A sub-bot edit alone is a new version; the bot's name, a step's line are not.
    QVERIFY(wire::planVersion(nestedPlan(u"bot"_s, kAt, u"2026-03-01T02:02:02.201Z"_s)) != wire::planVersion(nested));
    BotPlan renamed = nested;
    renamed.botName = u"Other"_s;
    renamed.steps[1].line = 7;
    QCOMPARE(wire::planVersion(renamed), wire::planVersion(nested));
}

void TstRemotePlanCache::aPlanIsFoundUnderItsOwnVersionOnly()
{
    QTemporaryDir dir;
    RemotePlanCache cache(dir.path());
    const BotPlan older = plainPlan(u"bot"_s, kAt);
    const BotPlan newer = plainPlan(u"bot"_s, kAt.addSecs(60));
    QVERIFY(!cache.holdsAny(kEndpoint, u"bot"_s));
    QVERIFY(cache.store(kEndpoint, u"bot"_s, older, bodyOf(older)));
    QVERIFY(cache.store(kEndpoint, u"bot"_s, newer, bodyOf(newer)));
    QVERIFY(cache.holdsAny(kEndpoint, u"bot"_s));
    QVERIFY(!cache.holdsAny(kEndpoint, u"other"_s));
    QVERIFY(!cache.holdsAny(u"http://127.0.0.1:2"_s, u"bot"_s));
    QVERIFY(cache.find(kEndpoint, u"bot"_s, wire::planVersion(older)) == older);
    QVERIFY(cache.find(kEndpoint, u"bot"_s, wire::planVersion(newer)) == newer);
    QVERIFY(!cache.find(kEndpoint, u"bot"_s, wire::planVersion(plainPlan(u"bot"_s, kAt.addSecs(1)))));
    QVERIFY(!cache.find(kEndpoint, u"other"_s, wire::planVersion(older)));
    QVERIFY(!cache.find(kEndpoint, u"bot"_s, u"../../etc"_s));

    // The older plan's bytes under the newer one's name: never taken for it.
    const QStringList files = QDir(dir.path()).entryList({u"*.json"_s}, QDir::Files);
    QCOMPARE(files.size(), 2);
    for (const QString &name : files)
        if (name.contains(wire::planVersion(newer))) {
            QFile file(dir.filePath(name));
            QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
            file.write(bodyOf(older));
        }
    QVERIFY(!cache.find(kEndpoint, u"bot"_s, wire::planVersion(newer)));
    QVERIFY(cache.find(kEndpoint, u"bot"_s, wire::planVersion(older)) == older);
}

void TstRemotePlanCache::versionsOfOneBotAreTrimmed()
{
    QTemporaryDir dir;
    RemotePlanCache cache(dir.path()); // 3 versions per bot
    QCOMPARE(cache.limits().versionsPerBot, 3);
    QList<BotPlan> plans;
    for (int i = 0; i < 3; ++i) {
        plans.append(plainPlan(u"bot"_s, kAt.addSecs(i)));
        QVERIFY(cache.store(kEndpoint, u"bot"_s, plans.last(), bodyOf(plans.last())));
    }
    const BotPlan other = plainPlan(u"other"_s, kAt);
    QVERIFY(cache.store(kEndpoint, u"other"_s, other, bodyOf(other)));
    // Stored 40, 30, 20 s ago; the oldest is then used, so the middle one goes next.
    const QStringList names = QDir(dir.path()).entryList({u"*.json"_s}, QDir::Files);
    for (int i = 0; i < 3; ++i)
        for (const QString &name : names)
            if (name.contains(wire::planVersion(plans[i])))
                age(dir.path(), name, 40 - 10 * i);
    QVERIFY(cache.find(kEndpoint, u"bot"_s, wire::planVersion(plans[0])));
    plans.append(plainPlan(u"bot"_s, kAt.addSecs(3)));
    QVERIFY(cache.store(kEndpoint, u"bot"_s, plans.last(), bodyOf(plans.last())));
    QVERIFY(cache.find(kEndpoint, u"bot"_s, wire::planVersion(plans[0])));
    QVERIFY(!cache.find(kEndpoint, u"bot"_s, wire::planVersion(plans[1])));
    QVERIFY(cache.find(kEndpoint, u"bot"_s, wire::planVersion(plans[2])));
    QVERIFY(cache.find(kEndpoint, u"bot"_s, wire::planVersion(plans[3])));
    QVERIFY(cache.find(kEndpoint, u"other"_s, wire::planVersion(other))); // another bot's count is its own
    QCOMPARE(QDir(dir.path()).entryList({u"*.json"_s}, QDir::Files).size(), 4);
}

void TstRemotePlanCache::theFolderIsTrimmedByFilesAndBytes()
{
    QTemporaryDir dir;
    RemotePlanCacheLimits limits;
    limits.maxFiles = 3;
    RemotePlanCache byFiles(dir.path(), limits);
    for (int i = 0; i < 5; ++i) {
        const BotPlan plan = plainPlan(u"bot%1"_s.arg(i), kAt);
        QVERIFY(byFiles.store(kEndpoint, plan.botKey, plan, bodyOf(plan)));
        const QStringList names = QDir(dir.path()).entryList({u"*.json"_s}, QDir::Files);
        for (const QString &name : names)
            if (name.contains(wire::planVersion(plan)))
                age(dir.path(), name, 100 - i); // stored in turn, a second apart
    }
    QCOMPARE(QDir(dir.path()).entryList({u"*.json"_s}, QDir::Files).size(), 3);
    for (int i = 0; i < 5; ++i)
        QCOMPARE(bool(byFiles.find(kEndpoint, u"bot%1"_s.arg(i), wire::planVersionOf(u"bot%1"_s.arg(i), kAt))), i >= 2);

    QTemporaryDir bytesDir;
    const BotPlan sample = plainPlan(u"bot0"_s, kAt);
    limits = {};
    limits.maxBytes = bodyOf(sample).size() * 2 + 10; // two such plans fit, not three
    RemotePlanCache byBytes(bytesDir.path(), limits);
    for (int i = 0; i < 4; ++i) {
        const BotPlan plan = plainPlan(u"bot%1"_s.arg(i), kAt);
        QVERIFY(byBytes.store(kEndpoint, plan.botKey, plan, bodyOf(plan)));
        const QStringList names = QDir(bytesDir.path()).entryList({u"*.json"_s}, QDir::Files);
        for (const QString &name : names)
            if (name.contains(wire::planVersion(plan)))
                age(bytesDir.path(), name, 100 - i);
    }
    for (int i = 0; i < 4; ++i)
        QCOMPARE(bool(byBytes.find(kEndpoint, u"bot%1"_s.arg(i), wire::planVersionOf(u"bot%1"_s.arg(i), kAt))), i >= 2);
}

void TstRemotePlanCache::theFileOfAnEarlierBuildGoes()
{
    QTemporaryDir dir;
    RemotePlanCache cache(dir.path());
    const QString legacy = QString::fromLatin1(
        QCryptographicHash::hash((kEndpoint + u"\nbot"_s).toUtf8(), QCryptographicHash::Sha256).toHex().left(40)) + u".json"_s;
    const BotPlan plan = plainPlan(u"bot"_s, kAt);
    QFile file(dir.filePath(legacy));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(bodyOf(plan));
    file.close();
    QVERIFY(!cache.holdsAny(kEndpoint, u"bot"_s)); // never read: it names no version
    QVERIFY(cache.store(kEndpoint, u"bot"_s, plan, bodyOf(plan)));
    QVERIFY(!QFile::exists(dir.filePath(legacy)));
    QCOMPARE(QDir(dir.path()).entryList({u"*.json"_s}, QDir::Files).size(), 1);
}

std::optional<BotPlan> TstRemotePlanCache::runAndPlan(RemoteBackend &backend, const QString &key)
{
    InvokeRequest request;
    request.botKey = key;
    request.messages = {Message::user(u"Hi"_s)};
    QObject context;
    std::unique_ptr<Invocation> run(backend.invoke(request));
    QSignalSpy finished(run.get(), &Invocation::finished);
    // As core/history/runhistory.cpp asks: right after the run started.
    std::optional<BotPlanResult> answer;
    backend.botPlan(key, &context, [&](const BotPlanResult &result) { answer = result; });
    if (!QTest::qWaitFor([&] { return answer.has_value() && run->isFinished(); }, 30000)) {
        qWarning("no plan or no end of the run");
        return std::nullopt;
    }
    if (!answer->plan)
        qWarning("%s", qPrintable(answer->error));
    return answer->plan;
}

void TstRemotePlanCache::whatEachServerGetsAskedFor()
{
    VersionServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost));
    QTemporaryDir dir;
    RemoteBackendOptions options;
    options.endpoint = QUrl(u"http://127.0.0.1:%1"_s.arg(server.serverPort()));
    options.planCacheFolder = dir.path();
    RemoteBackend backend(options);

    // This server: Invoke-Plan-Version. Asked once; then a sub-bot edit is a new version.
    server.plan = nestedPlan(u"nested"_s, kAt, u"2026-03-01T02:02:02.200Z"_s);
    server.updatedAtHeader = "2026-01-02T03:04:05.678Z";
    server.planVersionHeader = wire::planVersion(server.plan).toLatin1();
    QVERIFY(runAndPlan(backend, u"nested"_s) == server.plan);
    QVERIFY(runAndPlan(backend, u"nested"_s) == server.plan);
    QCOMPARE(server.planRequests, 1);
    const BotPlan edited = nestedPlan(u"nested"_s, kAt, u"2026-04-05T06:07:08.900Z"_s);
    server.plan = edited;
    server.planVersionHeader = wire::planVersion(edited).toLatin1();
    QVERIFY(runAndPlan(backend, u"nested"_s) == edited);
    QCOMPARE(server.planRequests, 2);
    // A version the client cannot read (not 64 lowercase hex digits): asked for.
    server.planVersionHeader = "not-a-version";
    QVERIFY(runAndPlan(backend, u"nested"_s) == edited);
    QCOMPARE(server.planRequests, 3);

    // An older server: Invoke-Bot-Updated-At only, which says nothing of sub-bots. A plan
    // that calls one is asked for on every run, also when the plan could not name it (a
    // bot_key made by a template: no nested steps); one that calls none is kept.
    server.planVersionHeader.clear();
    QVERIFY(runAndPlan(backend, u"nested"_s) == edited);
    QVERIFY(runAndPlan(backend, u"nested"_s) == edited);
    QCOMPARE(server.planRequests, 5);
    BotPlan dynamic = plainPlan(u"nested"_s, kAt);
    dynamic.steps = {step(u"dyn"_s, u"bot.invoke"_s, u"nested"_s, 0)};
    dynamic.steps[0].note = u"bot_key is a template"_s;
    server.plan = dynamic;
    QVERIFY(runAndPlan(backend, u"nested"_s) == dynamic);
    QVERIFY(runAndPlan(backend, u"nested"_s) == dynamic);
    QCOMPARE(server.planRequests, 7);
    server.plan = plainPlan(u"nested"_s, kAt);
    QVERIFY(runAndPlan(backend, u"nested"_s) == server.plan);
    QVERIFY(runAndPlan(backend, u"nested"_s) == server.plan);
    QCOMPARE(server.planRequests, 8);
    // ... and a newer updated_at is a new version there too.
    server.plan = plainPlan(u"nested"_s, kAt.addSecs(5));
    server.updatedAtHeader = "2026-01-02T03:04:10.678Z";
    QVERIFY(runAndPlan(backend, u"nested"_s) == server.plan);
    QCOMPARE(server.planRequests, 9);

    // A server that names neither: asked on every run.
    server.updatedAtHeader.clear();
    QVERIFY(runAndPlan(backend, u"nested"_s) == server.plan);
    QVERIFY(runAndPlan(backend, u"nested"_s) == server.plan);
    QCOMPARE(server.planRequests, 11);
}

QTEST_GUILESS_MAIN(TstRemotePlanCache)
#include "tst_remoteplancache.moc"
