// GET /datasets/{slug}/search?q=...&limit=N against the real build/bin/invoke-server, and
// Backend::searchDataset on both backends: the route answers exactly what memory.search
// gives (the same {"memories": [...]} as datasets::DatasetStore over the same folder,
// with its default limit), authenticated like the other routes; hostile queries (a bad,
// repeated or missing parameter, a limit out of range, text that is not UTF-8, an
// unknown slug, another method) get a 4xx {"error"} that says what, and the server keeps
// answering. RemoteBackend::searchDataset reads the route back into the same values
// LocalBackend::searchDataset gives, and tells an unknown slug, a bad limit and a
// rejected token apart. The query parser (app/server/routes/searchquery.h) on its own too.
#include "app/server/routes/searchquery.h"
#include "core/backend/localbackend.h"
#include "core/backend/remotebackend.h"
#include "core/datasets/datasetstore.h"
#include "core/wire/searchcodec.h"
#include "tests/support/jsontext.h"
#include "tests/support/serverprocess.h"
#include "tests/support/testpaths.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkReply>
#include <QtNetwork/QTcpServer>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace invoke;
using namespace invoke::test;

namespace {

const QByteArray kToken = "test-token-dataset-search-0123456789";

struct HttpResult
{
    int status = 0;
    QByteArray body;
    Json json() const { return parseJson(body); }
    QString error() const { return stringField(json(), "error"); }
};

// Sixteen rows that say "ice", so the default limit (10) is what cuts the answer.
QByteArray shipsCsv()
{
    QByteArray csv = "ship,fact\n"
                     "Endurance,crushed by pack ice in the Weddell Sea in 1915\n"
                     "Fram,drifted frozen in the ice across the Arctic\n"
                     "Terra Nova,a whaler built for ice and coal\n"
                     "Discovery,wintered at Hut Point near the ice shelf\n"
                     "Nimrod,sealer that reached the Ross ice shelf\n"
                     "Aurora,held by the ice for ten months\n";
    for (int i = 0; i < 12; ++i)
        csv += "Tender " + QByteArray::number(i) + ",carried coal and ice picks on run " + QByteArray::number(i)
            + (i % 3 == 0 ? " through pack ice" : "") + "\n";
    csv += "Belgica,first ship to winter in the Antarctic\n";
    return csv;
}

} // namespace

class TstDatasetSearchRoute : public QObject
{
    Q_OBJECT

private:
    HttpResult get(const QByteArray &target, const QByteArray &token = kToken, const QByteArray &method = "GET");
    DatasetSearchResult searchOn(Backend &backend, const QString &slug, const QString &query, int limit);
    RemoteBackend::Options remoteOptions(const QString &token = QString::fromLatin1(kToken)) const;

    QTemporaryDir m_home;
    QString m_folder; // the server's user datasets folder
    std::unique_ptr<ServerProcess> m_server;
    QNetworkAccessManager m_nam;
    std::unique_ptr<datasets::DatasetStore> m_store; // the same folder, an index of the test's own

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void queryParser_data();
    void queryParser();
    void routeAnswersWhatMemorySearchGives();
    void needsAToken();
    void hostileQueriesAre4xx_data();
    void hostileQueriesAre4xx();
    void remoteBackendReadsWhatLocalBackendGives();
    void remoteBackendTellsFailuresApart();
};

void TstDatasetSearchRoute::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_home.isValid());
    QVERIFY2(QFileInfo(binDir() + u"/invoke-server"_s).isExecutable(),
             "build invoke-server first (it is a dependency of tst_datasetsearchroute)");
    // Where the server's paths::userDatasets() is under scratchEnvironment's XDG_DATA_HOME.
    m_folder = m_home.filePath(u"data/Invoke Studio/invoke-studio/datasets"_s);
    QVERIFY(QDir().mkpath(m_folder));
    QFile csv(m_folder + u"/ships.csv"_s);
    QVERIFY(csv.open(QIODevice::WriteOnly));
    csv.write(shipsCsv());
    csv.close();
    m_store = std::make_unique<datasets::DatasetStore>(QStringList{m_folder}, m_home.filePath(u"test-index.sqlite"_s));

    QFile tokens(m_home.filePath(u"tokens.txt"_s));
    QVERIFY(tokens.open(QIODevice::WriteOnly));
    tokens.write(kToken + " acme\n");
    tokens.close();
    m_server = std::make_unique<ServerProcess>(
        QStringList{u"--tokens"_s, tokens.fileName(), u"--cache"_s, m_home.filePath(u"cache.sqlite"_s)},
        ServerProcess::scratchEnvironment(m_home.path()));
    QString error;
    QVERIFY2(m_server->start(&error), qPrintable(error));
}

void TstDatasetSearchRoute::cleanupTestCase()
{
    if (m_server)
        QCOMPARE(m_server->terminate(), 0);
}

HttpResult TstDatasetSearchRoute::get(const QByteArray &target, const QByteArray &token, const QByteArray &method)
{
    QUrl url = m_server->url({});
    // The target as given, its encoding untouched.
    url = QUrl::fromEncoded(url.toEncoded() + target, QUrl::StrictMode);
    QNetworkRequest request(url);
    if (!token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + token);
    QNetworkReply *reply = m_nam.sendCustomRequest(request, method);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!reply->isFinished())
        finished.wait(60000);
    HttpResult result;
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.body = reply->readAll();
    reply->deleteLater();
    return result;
}

DatasetSearchResult TstDatasetSearchRoute::searchOn(Backend &backend, const QString &slug, const QString &query,
                                                    int limit)
{
    std::optional<DatasetSearchResult> answer;
    backend.searchDataset(slug, query, limit, this, [&](const DatasetSearchResult &result) { answer = result; });
    if (!QTest::qWaitFor([&] { return answer.has_value(); }, 120000)) {
        DatasetSearchResult none;
        none.failure = DatasetSearchResult::Failure::Failed;
        none.error = u"no answer within two minutes"_s;
        return none;
    }
    return *answer;
}

RemoteBackend::Options TstDatasetSearchRoute::remoteOptions(const QString &token) const
{
    RemoteBackend::Options options;
    options.endpoint = m_server->url({});
    options.token = token;
    options.name = u"test"_s;
    return options;
}

void TstDatasetSearchRoute::queryParser_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QString>("text");  // empty with an error
    QTest::addColumn<int>("limit");
    QTest::addColumn<QString>("error"); // a part of it

    QTest::newRow("words") << QByteArray("/datasets/a/search?q=pack%20ice&limit=5") << u"pack ice"_s << 5 << QString();
    QTest::newRow("default limit") << QByteArray("/datasets/a/search?q=ice") << u"ice"_s << 10 << QString();
    QTest::newRow("delimiters in q") << QByteArray("/datasets/a/search?limit=1&q=a%26b%3Dc%2B%23") << u"a&b=c+#"_s << 1
                                     << QString();
    QTest::newRow("utf-8") << QByteArray("/datasets/a/search?q=caf%C3%A9") << u"café"_s << 10 << QString();
    QTest::newRow("empty q") << QByteArray("/datasets/a/search?q=") << QString() << 10 << QString();
    QTest::newRow("most") << QByteArray("/datasets/a/search?q=x&limit=1000") << u"x"_s << 1000 << QString();
    QTest::newRow("no q") << QByteArray("/datasets/a/search?limit=3") << QString() << 0 << u"\"q\" is required"_s;
    QTest::newRow("no query") << QByteArray("/datasets/a/search") << QString() << 0 << u"\"q\" is required"_s;
    QTest::newRow("q twice") << QByteArray("/datasets/a/search?q=a&q=b") << QString() << 0 << u"\"q\" is given twice"_s;
    QTest::newRow("limit twice") << QByteArray("/datasets/a/search?q=a&limit=1&limit=2") << QString() << 0
                                 << u"\"limit\" is given twice"_s;
    QTest::newRow("limit 0") << QByteArray("/datasets/a/search?q=a&limit=0") << QString() << 0
                             << u"\"limit\" must be a whole number from 1 to 1000, not \"0\""_s;
    QTest::newRow("limit 1001") << QByteArray("/datasets/a/search?q=a&limit=1001") << QString() << 0
                                << u"not \"1001\""_s;
    QTest::newRow("limit -1") << QByteArray("/datasets/a/search?q=a&limit=-1") << QString() << 0 << u"not \"-1\""_s;
    QTest::newRow("limit +5") << QByteArray("/datasets/a/search?q=a&limit=%2B5") << QString() << 0 << u"not \"+5\""_s;
    QTest::newRow("limit text") << QByteArray("/datasets/a/search?q=a&limit=ten") << QString() << 0
                                << u"not \"ten\""_s;
    QTest::newRow("limit huge") << QByteArray("/datasets/a/search?q=a&limit=99999999999999999999") << QString() << 0
                                << u"from 1 to 1000"_s;
    QTest::newRow("limit empty") << QByteArray("/datasets/a/search?q=a&limit=") << QString() << 0
                                 << u"from 1 to 1000"_s;
    QTest::newRow("unknown") << QByteArray("/datasets/a/search?q=a&sort=asc") << QString() << 0
                             << u"unknown parameter \"sort\""_s;
    QTest::newRow("not utf-8") << QByteArray("/datasets/a/search?q=%FF%FE") << QString() << 0
                               << u"\"q\" is not UTF-8 text"_s;
    QTest::newRow("too long") << QByteArray("/datasets/a/search?q=" + QByteArray(4097, 'w')) << QString() << 0
                              << u"4097 characters long; a search takes at most 4096"_s;
}

void TstDatasetSearchRoute::queryParser()
{
    QFETCH(QByteArray, target);
    QFETCH(QString, text);
    QFETCH(int, limit);
    QFETCH(QString, error);
    QString why;
    const auto parsed = server::parseSearchQuery(target, &why);
    if (!error.isEmpty()) {
        QVERIFY2(!parsed, qPrintable(parsed ? parsed->text : QString()));
        QVERIFY2(why.contains(error), qPrintable(why));
        return;
    }
    QVERIFY2(parsed, qPrintable(why));
    QCOMPARE(parsed->text, text);
    QCOMPARE(parsed->limit, limit);
}

void TstDatasetSearchRoute::routeAnswersWhatMemorySearchGives()
{
    // With its limit, and without: memory.search's default, 10.
    for (const auto &[target, query, limit] :
         {std::tuple{QByteArray("/datasets/ships/search?q=pack%20ice&limit=3"), u"pack ice"_s, 3},
          std::tuple{QByteArray("/datasets/ships/search?q=ice%20coal"), u"ice coal"_s, 10},
          std::tuple{QByteArray("/datasets/ships/search?q=Weddell&limit=1000"), u"Weddell"_s, 1000},
          std::tuple{QByteArray("/datasets/ships/search?q=%20%2B%2B%20"), u" ++ "_s, 10}}) {
        const HttpResult r = get(target);
        QCOMPARE(r.status, 200);
        QString error;
        const auto expected = m_store->search({u"ships"_s}, query, limit, &error);
        QVERIFY2(expected, qPrintable(error));
        QCOMPARE(jsonText(r.json()), jsonText(datasets::memoriesJson(*expected)));
    }
    const Json body = get("/datasets/ships/search?q=ice%20coal").json();
    QCOMPARE(body["memories"].size(), size_t(10));
    const Json best = body["memories"][0];
    QCOMPARE(stringField(best, "dataset"), u"ships"_s);
    QVERIFY2(stringField(best, "id").startsWith(u"ships.csv:"_s), qPrintable(jsonText(best)));
    QVERIFY(best["score"].get<double>() >= body["memories"][9]["score"].get<double>());
    // A rare word scores well above nothing (bm25 with its sign turned).
    QVERIFY(get("/datasets/ships/search?q=Weddell").json()["memories"][0]["score"].get<double>() > 0.5);
    QCOMPARE(stringField(best["metadata"], "file"), u"ships.csv"_s);
    // No word, no hit; a word nowhere, no hit.
    QCOMPARE(jsonText(get("/datasets/ships/search?q=").json()), u"{\"memories\":[]}"_s);
    QCOMPARE(jsonText(get("/datasets/ships/search?q=zeppelin").json()), u"{\"memories\":[]}"_s);
    // The bundled datasets too, as a run's memory.search finds them.
    const HttpResult bundled = get("/datasets/solar-system/search?q=moons&limit=2");
    QCOMPARE(bundled.status, 200);
    QCOMPARE(bundled.json()["memories"].size(), size_t(2));
}

void TstDatasetSearchRoute::needsAToken()
{
    HttpResult r = get("/datasets/ships/search?q=ice", {});
    QCOMPARE(r.status, 401);
    QVERIFY2(r.error().contains(u"Authorization: Bearer"_s), r.body.constData());
    r = get("/datasets/ships/search?q=ice", "not-a-token");
    QCOMPARE(r.status, 401);
    QVERIFY2(r.error().contains(u"not recognised"_s), r.body.constData());
}

void TstDatasetSearchRoute::hostileQueriesAre4xx_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("error");

    QTest::newRow("limit 0") << QByteArray("/datasets/ships/search?q=ice&limit=0") << QByteArray("GET") << 400
                             << u"\"limit\" must be a whole number from 1 to 1000, not \"0\""_s;
    QTest::newRow("limit 1001") << QByteArray("/datasets/ships/search?q=ice&limit=1001") << QByteArray("GET") << 400
                                << u"not \"1001\""_s;
    QTest::newRow("limit text") << QByteArray("/datasets/ships/search?q=ice&limit=all") << QByteArray("GET") << 400
                                << u"not \"all\""_s;
    QTest::newRow("no q") << QByteArray("/datasets/ships/search?limit=2") << QByteArray("GET") << 400
                          << u"\"q\" is required"_s;
    QTest::newRow("q twice") << QByteArray("/datasets/ships/search?q=a&q=b") << QByteArray("GET") << 400
                             << u"given twice"_s;
    QTest::newRow("unknown parameter") << QByteArray("/datasets/ships/search?q=a&page=2") << QByteArray("GET")
                                       << 400 << u"unknown parameter \"page\""_s;
    QTest::newRow("not utf-8") << QByteArray("/datasets/ships/search?q=%C3%28") << QByteArray("GET") << 400
                               << u"not UTF-8"_s;
    QTest::newRow("too long") << QByteArray("/datasets/ships/search?q=" + QByteArray(5000, 'x')) << QByteArray("GET")
                              << 400 << u"at most 4096"_s;
    QTest::newRow("unknown slug") << QByteArray("/datasets/wrecks/search?q=ice") << QByteArray("GET") << 404
                                  << u"unknown dataset \"wrecks\""_s;
    QTest::newRow("post") << QByteArray("/datasets/ships/search?q=ice") << QByteArray("POST") << 405
                          << u"takes GET requests"_s;
    QTest::newRow("no slug") << QByteArray("/datasets//search?q=ice") << QByteArray("GET") << 404
                             << u"no endpoint"_s;
}

void TstDatasetSearchRoute::hostileQueriesAre4xx()
{
    QFETCH(QByteArray, target);
    QFETCH(QByteArray, method);
    QFETCH(int, status);
    QFETCH(QString, error);
    const HttpResult r = get(target, kToken, method);
    QCOMPARE(r.status, status);
    QVERIFY2(r.error().contains(error), r.body.constData());
    // The server keeps answering others.
    QCOMPARE(get("/datasets/ships/search?q=ice&limit=1").status, 200);
}

void TstDatasetSearchRoute::remoteBackendReadsWhatLocalBackendGives()
{
    LocalBackend::Options local;
    local.datasetFolders = {m_folder};
    local.datasetIndexFile = m_home.filePath(u"local-index.sqlite"_s);
    local.replayCacheFile = m_home.filePath(u"local-cache.sqlite"_s);
    LocalBackend localBackend(local);
    RemoteBackend remote(remoteOptions());
    // Characters a URL would otherwise split on, and the default limit.
    for (const auto &[query, limit] : {std::pair{u"ice & coal + #1=2?"_s, DatasetSearchDefaultLimit},
                                       std::pair{u"pack ice"_s, 2}, std::pair{u"Ross shelf"_s, 1000},
                                       std::pair{u"zeppelin"_s, 5}}) {
        const DatasetSearchResult here = searchOn(localBackend, u"ships"_s, query, limit);
        const DatasetSearchResult there = searchOn(remote, u"ships"_s, query, limit);
        QVERIFY2(here.ok(), qPrintable(here.error));
        QVERIFY2(there.ok(), qPrintable(there.error));
        QVERIFY2(here.memories == there.memories,
                 qPrintable(jsonText(here.toJson()) + u"\n"_s + jsonText(there.toJson())));
        QCOMPARE(jsonText(there.toJson()), jsonText(datasets::memoriesJson(*m_store->search({u"ships"_s}, query, limit, nullptr))));
    }
    QCOMPARE(searchOn(remote, u"ships"_s, u"ice"_s, DatasetSearchDefaultLimit).memories.size(), 10);
}

void TstDatasetSearchRoute::remoteBackendTellsFailuresApart()
{
    using Failure = DatasetSearchResult::Failure;
    RemoteBackend remote(remoteOptions());
    DatasetSearchResult r = searchOn(remote, u"wrecks"_s, u"ice"_s, 5);
    QCOMPARE(r.failure, Failure::UnknownDataset);
    QVERIFY2(r.error.startsWith(u"unknown dataset \"wrecks\" (known: "_s) && r.error.contains(u"ships"_s),
             qPrintable(r.error));
    r = searchOn(remote, u"ships"_s, u"ice"_s, 0);
    QCOMPARE(r.failure, Failure::BadRequest);
    QVERIFY2(r.error.contains(u"from 1 to 1000, not 0"_s), qPrintable(r.error));

    RemoteBackend wrongToken(remoteOptions(u"not-the-token"_s));
    r = searchOn(wrongToken, u"ships"_s, u"ice"_s, 5);
    QCOMPARE(r.failure, Failure::Failed);
    QVERIFY2(r.error.contains(u"the token is missing or rejected"_s), qPrintable(r.error));
    QVERIFY2(!r.error.contains(u"not-the-token"_s), qPrintable(r.error));

    // Nobody listening: a plain message, not a hang.
    RemoteBackend::Options gone = remoteOptions();
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    gone.endpoint = QUrl(u"http://127.0.0.1:%1"_s.arg(probe.serverPort()));
    probe.close();
    RemoteBackend nobody(gone);
    r = searchOn(nobody, u"ships"_s, u"ice"_s, 5);
    QCOMPARE(r.failure, Failure::Failed);
    QVERIFY2(r.error.contains(u"refused"_s), qPrintable(r.error));

    // The same failures from the engine here.
    LocalBackend::Options local;
    local.datasetFolders = {m_folder};
    local.datasetIndexFile = m_home.filePath(u"local-index.sqlite"_s);
    local.replayCacheFile = m_home.filePath(u"local-cache.sqlite"_s);
    LocalBackend localBackend(local);
    QCOMPARE(searchOn(localBackend, u"wrecks"_s, u"ice"_s, 5).failure, Failure::UnknownDataset);
    QCOMPARE(searchOn(localBackend, u"ships"_s, u"ice"_s, 1001).failure, Failure::BadRequest);
}

QTEST_MAIN(TstDatasetSearchRoute)
#include "tst_datasetsearchroute.moc"
