// Coverage before running in manual mode: which step of a bot a mock set answers, by
// step path, by action type, computed, bypassed or nothing; nested sub-bots named as
// the executor names them ("research/deep/answer"), checked against a real manual run.
#include "core/backend/invocation.h"
#include "core/backend/localbackend.h"
#include "core/engine/botcatalog.h"
#include "core/engine/botplanner.h"
#include "core/mocks/mockcoverage.h"
#include "tests/support/testpaths.h"

#include <QtCore/QDir>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

using namespace Qt::StringLiterals;
using namespace invoke;
using namespace invoke::engine;
using namespace invoke::mocks;

namespace {

MockResponse ok(Json output = Json{{"content", "mocked"}})
{
    return MockResponse{true, std::move(output), {}};
}

MockResponse failing(const QString &error)
{
    return MockResponse{false, Json(), error};
}

// One line per step: indented by depth, path, action type, how it is answered.
QString dump(const QList<StepCoverage> &coverage)
{
    QStringList lines;
    for (const StepCoverage &c : coverage) {
        QString line = QString(c.step.depth * 2, u' ') + c.step.path + u' ' + c.step.actionType + u' '
            + answerText(c.answer);
        if (!c.mockKey.isEmpty())
            line += u" by \"%1\""_s.arg(c.mockKey);
        if (c.mockIsError)
            line += u" (error)"_s;
        if (c.step.conditional)
            line += u" [handler]"_s;
        if (!c.step.note.isEmpty())
            line += u" -- "_s + c.step.note;
        lines.append(line);
    }
    return lines.join(u'\n');
}

} // namespace

class TestMockCoverage : public QObject
{
    Q_OBJECT

private:
    BotCatalog m_catalog;
    const BotDefinition &bot(const QString &key)
    {
        const BotDefinition *found = m_catalog.find(key);
        Q_ASSERT(found);
        return *found;
    }
    // The coverage as the tools compute it: the engine's plan of the bot, then core/mocks.
    QList<StepCoverage> coverageOf(const QString &key, const MockSet &mocks)
    {
        return mockCoverage(plannedSteps(bot(key), m_catalog), mocks);
    }

private Q_SLOTS:
    void initTestCase();
    void nestedPathsInRunOrder();
    void stepMockOnASubBotBypassesItsSteps();
    void errorMocksAndActionTypesOfPureSteps();
    void cyclesAndUnknownSubBotsAreNoted();
    void examplesAreCoveredByTheirMockSets();
    void coverageAgreesWithAManualRun();
    void localBackendPlansTheBotItRuns();
    void aDuplicatedKeyIsPlannedAsItRuns();
};

void TestMockCoverage::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    qRegisterMetaType<InvokeResult>();
    m_catalog.load({u":/bots"_s, test::sourcePath(u"tests/data/mocks/bots"_s)});
    for (const LoadProblem &problem : m_catalog.problems())
        QFAIL(qPrintable(problem.toString()));
    QVERIFY(m_catalog.find(u"outer"_s));
}

void TestMockCoverage::nestedPathsInRunOrder()
{
    MockSet mocks;
    mocks.insert(u"plan"_s, ok());
    mocks.insert(u"research/deep/answer"_s, ok());
    mocks.insert(u"memory.search"_s, ok(Json{{"memories", Json::array()}}));

    const auto coverage = coverageOf(u"outer"_s, mocks);
    const QString expected = QStringList{
        u"start utils.echo computed"_s,
        u"plan llm.message step mock by \"plan\""_s,
        u"research bot.invoke computed"_s,
        u"  research/search memory.search action-type mock by \"memory.search\""_s,
        u"  research/deep bot.invoke computed"_s,
        u"    research/deep/answer llm.message step mock by \"research/deep/answer\""_s,
        u"    research/deep/format utils.write computed"_s,
        u"  research/summarise llm.message NOTHING"_s,
        u"apology llm.message NOTHING [handler]"_s,
        u"lookup memory.search action-type mock by \"memory.search\""_s,
        u"run codeexec.execute NOTHING"_s,
        u"dyn bot.invoke computed -- bot_key \"{{which}}\" is a template: its steps are known only when it runs"_s,
    }.join(u'\n');
    QCOMPARE(dump(coverage), expected);
    QCOMPARE(uncoveredSteps(coverage), (QStringList{u"research/summarise"_s, u"apology"_s, u"run"_s}));

    // The sub-bot's own steps and lines come from its file.
    QCOMPARE(coverage.at(5).step.botKey, u"inner"_s);
    QCOMPARE(coverage.at(5).step.key, u"answer"_s);
    QCOMPARE(coverage.at(5).step.line, 4);
}

void TestMockCoverage::stepMockOnASubBotBypassesItsSteps()
{
    MockSet mocks;
    mocks.insert(u"research"_s, ok(Json{{"content", "the sub-bot's answer"}}));
    mocks.insert(u"llm.message"_s, ok());
    mocks.insert(u"codeexec.execute"_s, ok(Json{{"output", ""}, {"exit_code", 0}}));
    mocks.insert(u"lookup"_s, ok(Json{{"memories", Json::array()}}));

    const auto coverage = coverageOf(u"outer"_s, mocks);
    const QString expected = QStringList{
        u"start utils.echo computed"_s,
        u"plan llm.message action-type mock by \"llm.message\""_s,
        u"research bot.invoke step mock by \"research\""_s,
        u"  research/search memory.search bypassed"_s,
        u"  research/deep bot.invoke bypassed"_s,
        u"    research/deep/answer llm.message bypassed"_s,
        u"    research/deep/format utils.write bypassed"_s,
        u"  research/summarise llm.message bypassed"_s,
        u"apology llm.message action-type mock by \"llm.message\" [handler]"_s,
        u"lookup memory.search step mock by \"lookup\""_s,
        u"run codeexec.execute action-type mock by \"codeexec.execute\""_s,
        u"dyn bot.invoke computed -- bot_key \"{{which}}\" is a template: its steps are known only when it runs"_s,
    }.join(u'\n');
    QCOMPARE(dump(coverage), expected);
    QVERIFY(uncoveredSteps(coverage).isEmpty());
}

void TestMockCoverage::errorMocksAndActionTypesOfPureSteps()
{
    MockSet mocks;
    mocks.insert(u"answer"_s, failing(u"rate limited"_s));
    mocks.insert(u"utils.write"_s, ok(Json{{"content", "never used"}})); // pure: the gate never asks
    mocks.insert(u"format"_s, ok(Json{{"content", "a step mock overrides a pure step"}}));

    const auto coverage = coverageOf(u"inner"_s, mocks);
    QCOMPARE(dump(coverage), u"answer llm.message step mock by \"answer\" (error)\n"
                             "format utils.write step mock by \"format\""_s);

    mocks.remove(u"format"_s);
    QCOMPARE(dump(coverageOf(u"inner"_s, mocks)).section(u'\n', 1),
             u"format utils.write computed"_s);
}

void TestMockCoverage::cyclesAndUnknownSubBotsAreNoted()
{
    const auto coverage = coverageOf(u"loop"_s, MockSet());
    QCOMPARE(dump(coverage), u"again bot.invoke computed -- bot.invoke cycle: loop -> loop\n"
                             "missing bot.invoke computed -- bot \"no-such-bot\" not found: the step fails when run"_s);
}

void TestMockCoverage::examplesAreCoveredByTheirMockSets()
{
    // Every bundled mock set answers every step of its bot (a manual run of an example
    // must not fail for want of a mock).
    const QStringList files = QDir(u":/mocks"_s).entryList({u"*.mocks.json"_s}, QDir::Files, QDir::Name);
    QVERIFY(files.size() >= 4);
    for (const QString &file : files) {
        const QString key = file.chopped(int(qstrlen(".mocks.json")));
        QVERIFY2(m_catalog.find(key), qPrintable(u"no bundled bot for "_s + file));
        QString error;
        const auto mocks = MockSet::load(u":/mocks/"_s + file, &error);
        QVERIFY2(mocks, qPrintable(error));
        const auto coverage = coverageOf(key, *mocks);
        QVERIFY2(uncoveredSteps(coverage).isEmpty(), qPrintable(key + u": "_s + dump(coverage)));
    }
    // research-assistant: the summariser's steps nest under the bot.invoke step.
    QString error;
    const auto mocks = MockSet::load(u":/mocks/research-assistant.mocks.json"_s, &error);
    QCOMPARE(dump(coverageOf(u"research-assistant"_s, *mocks)),
             QStringList({u"announce utils.send_status computed"_s,
                          u"gather llm.message step mock by \"gather\""_s,
                          u"summarise bot.invoke computed"_s,
                          u"  summarise/answer llm.message step mock by \"summarise/answer\""_s,
                          u"notes-only utils.write computed [handler]"_s})
                 .join(u'\n'));
}

// The planner walks bots as the executor does: a manual run with the same mock set
// fails at the first step coverage says nothing answers, and runs every step before it
// under the same paths.
void TestMockCoverage::coverageAgreesWithAManualRun()
{
    MockSet mocks;
    mocks.insert(u"plan"_s, ok());
    mocks.insert(u"research/deep/answer"_s, ok(Json{{"content", "deep"}}));
    mocks.insert(u"memory.search"_s, ok(Json{{"memories", Json::array()}}));
    const auto coverage = coverageOf(u"outer"_s, mocks);

    QTemporaryDir dir;
    LocalBackend::Options options;
    options.botFolders = {u":/bots"_s, test::sourcePath(u"tests/data/mocks/bots"_s)};
    options.replayCacheFile = dir.filePath(u"replay.sqlite"_s);
    LocalBackend backend(options);
    InvokeRequest request;
    request.botKey = u"outer"_s;
    request.messages = {Message::user(u"hello"_s)};
    request.mode = Mode::manual();
    request.manualMocks = mocks;
    std::unique_ptr<Invocation> invocation(backend.invoke(request));
    QSignalSpy finished(invocation.get(), &Invocation::finished);
    QVERIFY(invocation->isFinished() || finished.wait(30000));
    const InvokeResult &result = invocation->result();
    QVERIFY(!result.success);
    QVERIFY2(result.error.contains(u"no mock for step \"research/summarise\""_s), qPrintable(result.error));

    // Steps that ran (not skipped), by path, in start order.
    QStringList ran;
    for (const StepRecord &step : result.steps)
        if (step.status != StepStatus::Skipped)
            ran.append(step.path + u' ' + step.actionType);
    QStringList planned;
    for (const StepCoverage &c : coverage) {
        planned.append(c.step.path + u' ' + c.step.actionType);
        if (c.answer == MockAnswer::Nothing)
            break;
    }
    QCOMPARE(ran, planned);
}

// LocalBackend::botPlan answers what coverage walked before it existed (the engine's
// planner over the backend's own folders), so the studio's coverage is unchanged.
void TestMockCoverage::localBackendPlansTheBotItRuns()
{
    QTemporaryDir dir;
    LocalBackend::Options options;
    options.botFolders = {u":/bots"_s, test::sourcePath(u"tests/data/mocks/bots"_s)};
    options.replayCacheFile = dir.filePath(u"replay.sqlite"_s);
    LocalBackend backend(options);
    auto planOf = [&](const QString &key) {
        std::optional<BotPlanResult> answer;
        backend.botPlan(key, this, [&](const BotPlanResult &result) { answer = result; });
        [&] { QTRY_VERIFY_WITH_TIMEOUT(answer.has_value(), 30000); }();
        return answer.value_or(BotPlanResult{});
    };
    for (const auto &bot : m_catalog.bots()) {
        const BotDefinition &definition = *bot;
        const BotPlanResult result = planOf(definition.info.key);
        QVERIFY2(result.plan, qPrintable(definition.info.key + u": "_s + result.error));
        QVERIFY2(result.plan->steps == plannedSteps(definition, m_catalog), qPrintable(definition.info.key));
        QCOMPARE(result.plan->botKey, definition.info.key);
        QCOMPARE(result.plan->botName, definition.info.name);
        QCOMPARE(result.plan->updatedAt, definition.info.updatedAt);
    }

    // The expectations of nestedPathsInRunOrder, from the backend's plan.
    MockSet mocks;
    mocks.insert(u"plan"_s, ok());
    mocks.insert(u"research/deep/answer"_s, ok());
    mocks.insert(u"memory.search"_s, ok(Json{{"memories", Json::array()}}));
    const BotPlanResult outer = planOf(u"outer"_s);
    QVERIFY(outer.plan);
    QCOMPARE(dump(mockCoverage(outer.plan->steps, mocks)), dump(coverageOf(u"outer"_s, mocks)));
    QCOMPARE(uncoveredSteps(mockCoverage(outer.plan->steps, mocks)),
             (QStringList{u"research/summarise"_s, u"apology"_s, u"run"_s}));
    QCOMPARE(outer.plan->actionTypeOf(u"research/deep/answer"_s), u"llm.message"_s);

    const BotPlanResult missing = planOf(u"no-such-bot"_s);
    QVERIFY(!missing.plan);
    QCOMPARE(missing.error, u"bot \"no-such-bot\" not found"_s);
}

// Two files with one key: the plan is of the bot a run starts (the later folder's), so
// coverage never describes a bot other than the one Manual mode runs.
void TestMockCoverage::aDuplicatedKeyIsPlannedAsItRuns()
{
    QTemporaryDir dir;
    QFile file(dir.filePath(u"chat.bot.json"_s));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"bot": {"key": "chat", "name": "My chat"}, "steps": [
  {"key": "draft", "action_type": "llm.message", "parameters": {"message_history": "{{system.messages}}"}},
  {"key": "polish", "action_type": "utils.write", "parameters": {"content": "{{steps.draft.content}}"},
   "depends_on": ["draft"]}
]})");
    file.close();
    LocalBackend::Options options;
    options.botFolders = {u":/bots"_s, dir.path()};
    options.replayCacheFile = dir.filePath(u"replay.sqlite"_s);
    LocalBackend backend(options);
    std::optional<BotPlanResult> answer;
    backend.botPlan(u"chat"_s, this, [&](const BotPlanResult &result) { answer = result; });
    QTRY_VERIFY_WITH_TIMEOUT(answer.has_value(), 30000);
    QVERIFY2(answer->plan, qPrintable(answer->error));
    QCOMPARE(answer->plan->botName, u"My chat"_s);
    QStringList planned;
    for (const PlannedStep &step : answer->plan->steps)
        planned << step.path;
    QCOMPARE(planned, (QStringList{u"draft"_s, u"polish"_s}));

    InvokeRequest request;
    request.botKey = u"chat"_s;
    request.messages = {Message::user(u"hello"_s)};
    request.mode = Mode::manual();
    request.manualMocks.insert(u"draft"_s, ok());
    std::unique_ptr<Invocation> invocation(backend.invoke(request));
    QSignalSpy finished(invocation.get(), &Invocation::finished);
    QVERIFY(invocation->isFinished() || finished.wait(30000));
    QVERIFY2(invocation->result().success, qPrintable(invocation->result().error));
    QStringList ran;
    for (const StepRecord &step : invocation->result().steps)
        ran << step.path;
    QCOMPARE(ran, planned);
}

QTEST_GUILESS_MAIN(TestMockCoverage)
#include "tst_mockcoverage.moc"
