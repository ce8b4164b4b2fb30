// memory.search through the real engine (LocalBackend, real dataset files, a real
// SQLite index): the data-qa example live against the OpenAI stub server (the request
// carries the record found), in replay (the LLM answer cached, the search run again),
// and in manual mode with its bundled mock set (both steps mocked: manual mode never runs
// an action for real); the parameters' defaults and checks, no hits, an unknown slug.
#include "core/backend/invocation.h"
#include "core/backend/localbackend.h"
#include "core/model/mockset.h"
#include "tests/support/openaistubserver.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

using namespace Qt::StringLiterals;
using namespace invoke;

namespace {

const StepRecord *stepOf(const InvokeResult &result, const QString &path)
{
    for (const StepRecord &step : result.steps)
        if (step.path == path)
            return &step;
    return nullptr;
}

QString memoryIds(const Json &output)
{
    QStringList ids;
    for (const Json &m : output.value("memories", Json::array()))
        ids.append(stringField(m, "id"));
    return ids.join(u", "_s);
}

// A bot with one memory.search step whose parameters are `parameters` (JSON text).
QByteArray searchBot(const QByteArray &parameters)
{
    return "{\"bot\": {\"key\": \"finder\", \"name\": \"Finder\"}, \"steps\": ["
           "{\"key\": \"search\", \"action_type\": \"memory.search\", \"parameters\": "
        + parameters + "}]}";
}

} // namespace

class TestMemorySearch : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    test::OpenAiStubServer m_server;

    QString botsDir() const { return m_dir.filePath(u"bots"_s); }

    LocalBackend::Options options() const
    {
        LocalBackend::Options o;
        o.botFolders = {u":/bots"_s, botsDir()};
        o.datasetFolders = {u":/datasets"_s, m_dir.filePath(u"datasets"_s)};
        o.datasetIndexFile = m_dir.filePath(u"dataset-index.sqlite"_s);
        o.replayCacheFile = m_dir.filePath(u"replay.sqlite"_s);
        o.llm.baseUrl = m_server.baseUrl();
        o.llm.model = u"stub-model"_s;
        return o;
    }

    InvokeResult run(LocalBackend &backend, const InvokeRequest &request)
    {
        Invocation *invocation = backend.invoke(request, this);
        QSignalSpy finished(invocation, &Invocation::finished);
        if (!finished.wait(30000))
            qWarning("the invocation did not finish");
        const InvokeResult result = finished.isEmpty() ? InvokeResult() : finished.first().first().value<InvokeResult>();
        delete invocation;
        return result;
    }

    static InvokeRequest dataQa(const QString &question, Mode mode = Mode::live())
    {
        InvokeRequest r;
        r.botKey = u"data-qa"_s;
        r.messages = {Message::user(question)};
        r.mode = mode;
        return r;
    }

    void writeFinder(const QByteArray &parameters)
    {
        QFile file(QDir(botsDir()).filePath(u"finder.bot.json"_s));
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(searchBot(parameters));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        qRegisterMetaType<InvokeResult>();
        QVERIFY(m_dir.isValid());
        QVERIFY(QDir().mkpath(botsDir()));
        QVERIFY(QDir().mkpath(m_dir.filePath(u"datasets"_s)));
        QFile notes(m_dir.filePath(u"datasets/tea-notes.md"_s));
        QVERIFY(notes.open(QIODevice::WriteOnly));
        notes.write("# Green tea\nSteamed soon after picking.\n\n# Black tea\nLeft to oxidise fully.\n");
        notes.close();
        QVERIFY(m_server.listen());
    }

    void init()
    {
        m_server.setReply(test::StubReply::text({u"Jupiter"_s, u" has it [solar-system.csv:6]."_s}, 300, 9));
    }

    void dataQaLive()
    {
        LocalBackend backend(options());
        const int before = m_server.requestCount();
        const InvokeResult result = run(backend, dataQa(u"Which planet has the Great Red Spot?"_s));
        QVERIFY2(result.success, qPrintable(result.error));
        QCOMPARE(result.visibleText(), u"Jupiter has it [solar-system.csv:6]."_s);

        const StepRecord *search = stepOf(result, u"search"_s);
        QVERIFY(search);
        QCOMPARE(search->status, StepStatus::Success);
        QCOMPARE(search->source, Source::Live);
        QCOMPARE(search->parameters["dataset_slug"], Json::array({"solar-system"}));
        QCOMPARE(search->parameters["limit"], Json(5));
        const Json &memories = search->output["memories"];
        QVERIFY2(memories.is_array() && memories.size() == 5, qPrintable(memoryIds(search->output)));
        QCOMPARE(memories[0]["id"], Json("solar-system.csv:6"));
        QCOMPARE(memories[0]["dataset"], Json("solar-system"));
        QCOMPARE(memories[0]["metadata"]["columns"]["name"], Json("Jupiter"));
        QVERIFY(memories[0]["score"].get<double>() > memories[1]["score"].get<double>());

        // The LLM was asked with the record the search found.
        QCOMPARE(m_server.requestCount(), before + 1);
        const Json body = m_server.requests().last().json();
        const QString system = stringField(body["messages"][0], "content");
        QCOMPARE(stringField(body["messages"][0], "role"), u"system"_s);
        QVERIFY2(system.contains(u"\"id\":\"solar-system.csv:6\""_s), qPrintable(system));
        QVERIFY2(system.contains(u"The Great Red Spot is a storm wider than Earth"_s), qPrintable(system));
        QCOMPARE(stringField(body["messages"].back(), "content"), u"Which planet has the Great Red Spot?"_s);
    }

    void dataQaReplay()
    {
        LocalBackend backend(options());
        const int before = m_server.requestCount();
        const InvokeRequest request = dataQa(u"Which dwarf planet has a ring?"_s, Mode::replay());
        const InvokeResult first = run(backend, request);
        QVERIFY2(first.success, qPrintable(first.error));
        QCOMPARE(stepOf(first, u"answer"_s)->source, Source::ReplayStored);
        QCOMPARE(m_server.requestCount(), before + 1);

        const InvokeResult second = run(backend, request);
        QVERIFY2(second.success, qPrintable(second.error));
        QCOMPARE(stepOf(second, u"answer"_s)->source, Source::ReplayHit);
        QCOMPARE(m_server.requestCount(), before + 1); // no second request
        QCOMPARE(second.visibleText(), first.visibleText());
        // The search is not cached (only llm.message is by default): it ran again, the same.
        const StepRecord *search = stepOf(second, u"search"_s);
        QCOMPARE(search->source, Source::Live);
        QCOMPARE(search->output, stepOf(first, u"search"_s)->output);
        QCOMPARE(search->output["memories"][0]["metadata"]["columns"]["name"], Json("Haumea"));
    }

    void dataQaManualWithItsMockSet()
    {
        QString error;
        const auto mocks = MockSet::load(u":/mocks/data-qa.mocks.json"_s, &error);
        QVERIFY2(mocks, qPrintable(error));
        LocalBackend backend(options());
        InvokeRequest request = dataQa(u"Which planet has the Great Red Spot?"_s, Mode::manual());
        request.manualMocks = *mocks;
        const int before = m_server.requestCount();
        const InvokeResult result = run(backend, request);
        QVERIFY2(result.success, qPrintable(result.error));
        QCOMPARE(m_server.requestCount(), before); // offline
        QCOMPARE(stepOf(result, u"answer"_s)->source, Source::Mock);
        QVERIFY(result.visibleText().contains(u"Great Red Spot"_s));
        // The search step shows the memories of its mock: what the real search finds.
        const StepRecord *search = stepOf(result, u"search"_s);
        QCOMPARE(search->source, Source::Mock);
        QCOMPARE(memoryIds(search->output), u"solar-system.csv:6, solar-system.csv:13, solar-system.csv:5"_s);
        QCOMPARE(search->output["memories"][0]["content"].get<std::string>().substr(0, 13), "name: Jupiter");
        InvokeRequest live = dataQa(u"Which planet has the Great Red Spot?"_s);
        const InvokeResult real = run(backend, live);
        Json firstThree = stepOf(real, u"search"_s)->output;
        Json &list = firstThree["memories"];
        list.erase(list.begin() + 3, list.end());
        QCOMPARE(search->output, firstThree);
    }

    void manualModeNeverSearchesForReal()
    {
        MockSet mocks;
        mocks.insert(u"answer"_s, MockResponse{true, Json{{"content", "mocked"}}, {}});
        LocalBackend backend(options());
        InvokeRequest request = dataQa(u"Great Red Spot"_s, Mode::manual());
        request.manualMocks = mocks;
        const InvokeResult result = run(backend, request);
        QVERIFY(!result.success);
        QVERIFY2(result.error.contains(u"no mock for step \"search\" (memory.search)"_s), qPrintable(result.error));
    }

    void aMockAnswersTheSearchInManualMode()
    {
        MockSet mocks;
        mocks.insert(u"memory.search"_s, MockResponse{true, Json{{"memories", Json::array()}}, {}});
        mocks.insert(u"answer"_s, MockResponse{true, Json{{"content", "nothing found"}}, {}});
        LocalBackend backend(options());
        InvokeRequest request = dataQa(u"Great Red Spot"_s, Mode::manual());
        request.manualMocks = mocks;
        const InvokeResult result = run(backend, request);
        QVERIFY2(result.success, qPrintable(result.error));
        QCOMPARE(stepOf(result, u"search"_s)->source, Source::Mock);
        QCOMPARE(stepOf(result, u"search"_s)->output, (Json{{"memories", Json::array()}}));
    }

    void unknownSlugFailsTheStep()
    {
        LocalBackend backend(options());
        InvokeRequest request = dataQa(u"moons"_s);
        request.parameters = Json{{"dataset", "exoplanets"}};
        const int before = m_server.requestCount();
        const InvokeResult result = run(backend, request);
        QVERIFY(!result.success);
        const StepRecord *search = stepOf(result, u"search"_s);
        QCOMPARE(search->status, StepStatus::Error);
        QVERIFY2(search->error.contains(u"unknown dataset \"exoplanets\" (known: solar-system, tea-notes)"_s),
                 qPrintable(search->error));
        QVERIFY2(result.error.contains(u"exoplanets"_s), qPrintable(result.error));
        QCOMPARE(stepOf(result, u"answer"_s)->status, StepStatus::Skipped);
        QCOMPARE(m_server.requestCount(), before);
    }

    void defaultsToTheInvocationsDatasets()
    {
        writeFinder("{\"query\": \"{{query}}\"}");
        LocalBackend backend(options());
        InvokeRequest request;
        request.botKey = u"finder"_s;
        request.messages = {Message::user(u"oxidise"_s)};
        request.datasets = {u"tea-notes"_s, u"solar-system"_s};
        const InvokeResult result = run(backend, request);
        QVERIFY2(result.success, qPrintable(result.error));
        const StepRecord *search = stepOf(result, u"search"_s);
        QCOMPARE(search->parameters["dataset_slug"], Json::array({"tea-notes", "solar-system"}));
        QCOMPARE(search->parameters["limit"], Json(10));
        QCOMPARE(memoryIds(search->output), u"tea-notes.md:4"_s);
        QCOMPARE(search->output["memories"][0]["metadata"]["heading"], Json("Black tea"));

        // No hits: an empty list, and the step succeeds.
        request.messages = {Message::user(u"xylophone"_s)};
        const InvokeResult none = run(backend, request);
        QVERIFY2(none.success, qPrintable(none.error));
        QCOMPARE(stepOf(none, u"search"_s)->output, (Json{{"memories", Json::array()}}));

        // No dataset named anywhere: the step says what to do.
        request.datasets.clear();
        const InvokeResult nothing = run(backend, request);
        QVERIFY(!nothing.success);
        QVERIFY2(stepOf(nothing, u"search"_s)->error.contains(u"no dataset to search"_s),
                 qPrintable(stepOf(nothing, u"search"_s)->error));
    }

    void badParametersAreSaid_data()
    {
        QTest::addColumn<QByteArray>("parameters");
        QTest::addColumn<QString>("error");
        QTest::newRow("no query") << QByteArray("{\"dataset_slug\": \"solar-system\"}")
                                  << u"memory.search: missing parameter \"query\""_s;
        QTest::newRow("limit 0") << QByteArray("{\"query\": \"moon\", \"dataset_slug\": \"solar-system\", \"limit\": 0}")
                                 << u"memory.search: \"limit\" must be a whole number from 1 to 1000, not 0"_s;
        QTest::newRow("limit text") << QByteArray("{\"query\": \"moon\", \"dataset_slug\": \"solar-system\", \"limit\": \"ten\"}")
                                    << u"\"limit\" must be a whole number from 1 to 1000, not \"ten\""_s;
        QTest::newRow("slug number") << QByteArray("{\"query\": \"moon\", \"dataset_slug\": 7}")
                                     << u"\"dataset_slug\" must be a slug or a list of slugs, not 7"_s;
    }

    void badParametersAreSaid()
    {
        QFETCH(QByteArray, parameters);
        QFETCH(QString, error);
        writeFinder(parameters);
        LocalBackend backend(options());
        InvokeRequest request;
        request.botKey = u"finder"_s;
        request.messages = {Message::user(u"moon"_s)};
        const InvokeResult result = run(backend, request);
        QVERIFY(!result.success);
        QVERIFY2(stepOf(result, u"search"_s)->error.contains(error), qPrintable(stepOf(result, u"search"_s)->error));
    }

    void severalSlugsInOneString()
    {
        writeFinder("{\"query\": \"{{query}}\", \"dataset_slug\": \"tea-notes, solar-system\", \"limit\": 1}");
        LocalBackend backend(options());
        InvokeRequest request;
        request.botKey = u"finder"_s;
        request.messages = {Message::user(u"Titan nitrogen atmosphere"_s)};
        const InvokeResult result = run(backend, request);
        QVERIFY2(result.success, qPrintable(result.error));
        const StepRecord *search = stepOf(result, u"search"_s);
        QCOMPARE(search->parameters["dataset_slug"], Json::array({"tea-notes", "solar-system"}));
        QCOMPARE(memoryIds(search->output), u"solar-system.csv:7"_s); // Saturn
    }
};

QTEST_GUILESS_MAIN(TestMemorySearch)
#include "tst_memorysearch.moc"
