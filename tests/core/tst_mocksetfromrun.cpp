// Mock sets made from real LocalBackend runs: a manual run gives back its mock set, a
// replay run against the OpenAI stub becomes a mock set with its secrets masked, an
// edited answer changes what the later steps do when re-run in manual mode; failed,
// unanswered and skipped steps; promoting one step; the redaction rules.
#include "core/backend/invocation.h"
#include "core/backend/localbackend.h"
#include "core/mocks/mocksetfromrun.h"
#include "tests/support/fakecredential.h"
#include "tests/support/openaistubserver.h"

#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

using namespace Qt::StringLiterals;
using namespace invoke;
using namespace invoke::mocks;

namespace {

const QString FakeOpenAiKey = test::fakeCredential(u"sk-proj-"_s, u"Abc123def456GHI789jkl0"_s);
const QString ConfiguredSecret = u"tok_profile_7f3a9c"_s;

const StepRecord *stepAt(const InvokeResult &result, const QString &path)
{
    for (const StepRecord &step : result.steps)
        if (step.path == path)
            return &step;
    return nullptr;
}

} // namespace

class TestMockSetFromRun : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    test::OpenAiStubServer m_server;

    InvokeResult run(const QString &bot, const QString &message, Mode mode, const MockSet &mocks = {})
    {
        LocalBackend::Options options;
        options.botFolders = {u":/bots"_s};
        options.replayCacheFile = m_dir.filePath(u"replay.sqlite"_s);
        options.llm.baseUrl = m_server.baseUrl();
        options.llm.model = u"stub-model"_s;
        options.llm.apiKey = ConfiguredSecret;
        LocalBackend backend(options);
        InvokeRequest request;
        request.botKey = bot;
        request.messages = {Message::user(message)};
        request.mode = mode;
        request.manualMocks = mocks;
        std::unique_ptr<Invocation> invocation(backend.invoke(request));
        QSignalSpy finished(invocation.get(), &Invocation::finished);
        if (!invocation->isFinished())
            finished.wait(30000);
        return invocation->result();
    }

private Q_SLOTS:
    void initTestCase();
    void manualRunGivesBackItsMockSet();
    void replayRunMaskedThenEditedAndRerun();
    void failedAndUnansweredSteps();
    void promoteOneStep();
    void redactText_data();
    void redactText();
    void redactJsonMembersAndPointers();
};

void TestMockSetFromRun::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    qRegisterMetaType<InvokeResult>();
    QVERIFY(m_dir.isValid());
    QVERIFY(m_server.listen());
}

void TestMockSetFromRun::manualRunGivesBackItsMockSet()
{
    QString error;
    const auto bundled = MockSet::load(u":/mocks/research-assistant.mocks.json"_s, &error);
    QVERIFY2(bundled, qPrintable(error));
    const InvokeResult result = run(u"research-assistant"_s, u"tea"_s, Mode::manual(), *bundled);
    QVERIFY2(result.success, qPrintable(result.error));

    const RunMocks made = mockSetFromRun(result);
    // Governed steps only, nested ones by their full path; the pure steps (announce,
    // summarise, the sub-bot's own pure steps) are left to be computed.
    QCOMPARE(made.mocks.keys(), (QStringList{u"gather"_s, u"summarise/answer"_s}));
    QCOMPARE(made.mocks, *bundled);
    QVERIFY(made.redactions.isEmpty());
    QVERIFY(made.skipped.isEmpty());
}

void TestMockSetFromRun::replayRunMaskedThenEditedAndRerun()
{
    // The LLM's answer quotes a key and the user's own token (as an echoing model might).
    const QString answer = u"{\"team\": \"billing\", \"priority\": \"urgent\", \"summary\": \"charged twice; "
                           "my key is %1\", \"reply\": \"We will refund you (ref %2).\"}"_s
                               .arg(FakeOpenAiKey, ConfiguredSecret);
    m_server.setReply(test::StubReply::text({answer.left(30), answer.mid(30)}, 40, 20));
    const InvokeResult live = run(u"ticket-triage"_s, u"I was charged twice"_s, Mode::replay());
    QVERIFY2(live.success, qPrintable(live.error));
    QCOMPARE(stepAt(live, u"classify"_s)->source, Source::ReplayStored);
    QVERIFY(live.visibleText().contains(u"URGENT"_s));

    const RunMocks made = mockSetFromRun(live, {ConfiguredSecret});
    QCOMPARE(made.mocks.keys(), QStringList{u"classify"_s});
    const MockResponse classify = *made.mocks.value(u"classify"_s);
    QVERIFY(classify.success);
    const QString content = stringField(classify.output, "content");
    QVERIFY(!content.contains(FakeOpenAiKey));
    QVERIFY(!content.contains(ConfiguredSecret));
    QCOMPARE(content, QString(answer).replace(FakeOpenAiKey, u"[redacted]"_s).replace(ConfiguredSecret, u"[redacted]"_s));
    QCOMPARE(made.redactions, (QList<Redaction>{{u"classify"_s, u"/output/content"_s, u"configured secret"_s}}));
    QCOMPARE(made.redactions.first().toString(), u"key \"classify\" at /output/content: configured secret"_s);
    QCOMPARE(classify.output["usage"], (Json{{"input_tokens", 40}, {"output_tokens", 20}}));

    // Re-run in manual mode: no HTTP, the same routing.
    const int requestsBefore = m_server.requestCount();
    const InvokeResult again = run(u"ticket-triage"_s, u"I was charged twice"_s, Mode::manual(), made.mocks);
    QVERIFY2(again.success, qPrintable(again.error));
    QCOMPARE(m_server.requestCount(), requestsBefore);
    QCOMPARE(stepAt(again, u"classify"_s)->source, Source::Mock);
    QVERIFY2(again.visibleText().startsWith(u"URGENT: paging the billing on-call engineer"_s), qPrintable(again.visibleText()));

    // Change one answer: the pure steps after it react (another handler runs).
    MockSet edited = made.mocks;
    MockResponse low = classify;
    low.output["content"] = toStd(content).replace(toStd(content).find("urgent"), 6, "low");
    edited.insert(u"classify"_s, low);
    const InvokeResult changed = run(u"ticket-triage"_s, u"I was charged twice"_s, Mode::manual(), edited);
    QVERIFY2(changed.success, qPrintable(changed.error));
    QVERIFY2(changed.visibleText().startsWith(u"Routed to billing (low priority)."_s), qPrintable(changed.visibleText()));
    QCOMPARE(stepAt(changed, u"route"_s)->status, StepStatus::Success);
    QVERIFY(!stepAt(changed, u"escalate"_s) || stepAt(changed, u"escalate"_s)->status != StepStatus::Success);
}

void TestMockSetFromRun::failedAndUnansweredSteps()
{
    // A failed governed step becomes an error mock, and the re-run fails the same way.
    MockSet failing;
    failing.insert(u"gather"_s, MockResponse{false, Json(), u"rate limited (429)"_s});
    const InvokeResult failed = run(u"research-assistant"_s, u"tea"_s, Mode::manual(), failing);
    QVERIFY(!failed.success);
    RunMocks made = mockSetFromRun(failed);
    QCOMPARE(made.mocks, failing);
    const InvokeResult again = run(u"research-assistant"_s, u"tea"_s, Mode::manual(), made.mocks);
    QCOMPARE(again.error, failed.error);

    // A step no mock answered has no answer to keep: it is left out, and said so.
    const InvokeResult missing = run(u"research-assistant"_s, u"tea"_s, Mode::manual(), MockSet());
    QVERIFY(!missing.success);
    made = mockSetFromRun(missing);
    QVERIFY(made.mocks.isEmpty());
    QCOMPARE(made.skipped, QStringList{u"\"gather\" (llm.message): no mock answered it in the run"_s});
}

void TestMockSetFromRun::promoteOneStep()
{
    QString error;
    const auto bundled = MockSet::load(u":/mocks/ticket-triage.mocks.json"_s, &error);
    QVERIFY2(bundled, qPrintable(error));
    const InvokeResult result = run(u"ticket-triage"_s, u"double charge"_s, Mode::manual(), *bundled);
    QVERIFY2(result.success, qPrintable(result.error));

    MockSet set;
    set.insert(u"classify"_s, MockResponse{false, Json(), u"to be replaced"_s});
    QList<Redaction> redactions;
    QVERIFY2(promoteStep(set, *stepAt(result, u"classify"_s), {}, &redactions, &error), qPrintable(error));
    QCOMPARE(set.value(u"classify"_s), bundled->value(u"classify"_s));
    // A pure step can be promoted too: a step mock overrides it.
    QVERIFY2(promoteStep(set, *stepAt(result, u"parse"_s), {}, &redactions, &error), qPrintable(error));
    QCOMPARE(set.value(u"parse"_s)->output["team"], Json("billing"));
    QVERIFY(redactions.isEmpty());

    // A step that did not finish cannot be, and the set is left alone.
    const InvokeResult failed = run(u"research-assistant"_s, u"tea"_s, Mode::manual(), MockSet());
    const StepRecord *skipped = stepAt(failed, u"summarise"_s);
    QVERIFY(skipped);
    QCOMPARE(skipped->status, StepStatus::Skipped);
    const MockSet before = set;
    QVERIFY(!promoteStep(set, *skipped, {}, &redactions, &error));
    QCOMPARE(error, u"step \"summarise\" did not finish (skipped): there is no answer to keep"_s);
    QCOMPARE(set, before);
}

void TestMockSetFromRun::redactText_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("secrets");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("reason");

    QTest::newRow("plain") << u"nothing to hide, sk-short"_s << QStringList() << u"nothing to hide, sk-short"_s << QString();
    QTest::newRow("openai") << QString(u"key="_s + test::fakeCredential(u"sk-"_s, u"abcdefghijklmnop1234"_s) + u" end"_s) << QStringList()
                            << u"key=[redacted] end"_s << u"OpenAI-style API key"_s;
    QTest::newRow("openai project") << test::fakeCredential(u"sk-proj-"_s, u"AAAAbbbbCCCCdddd_eeee-ffff"_s) << QStringList()
                                    << u"[redacted]"_s << u"OpenAI-style API key"_s;
    QTest::newRow("bearer") << QString(u"Authorization: Bearer "_s + test::fakeCredential(u"eyJ"_s, u"hbGciOiJIUzI1NiJ9.e30.sig"_s)) << QStringList()
                            << u"Authorization: Bearer [redacted]"_s << u"bearer token"_s;
    QTest::newRow("bearer in prose") << u"the bearer messenger came"_s << QStringList() << u"the bearer messenger came"_s
                                     << QString();
    QTest::newRow("aws") << QString(test::fakeCredential(u"AKIA"_s, u"IOSFODNN7EXAMPLE"_s) + u" is the id"_s) << QStringList() << u"[redacted] is the id"_s
                         << u"AWS access key id"_s;
    QTest::newRow("github") << test::fakeCredential(u"ghp_"_s, u"0123456789abcdefghijklmnopqrstuvwxyz"_s) << QStringList() << u"[redacted]"_s
                            << u"GitHub token"_s;
    QTest::newRow("configured") << u"token tok_profile_7f3a9c, twice tok_profile_7f3a9c"_s
                                << QStringList{ConfiguredSecret} << u"token [redacted], twice [redacted]"_s
                                << u"configured secret"_s;
    QTest::newRow("short secrets ignored") << u"a b c"_s << QStringList{u"a"_s, QString(), u"b c"_s}
                                           << u"a b c"_s << QString();
    QTest::newRow("already masked") << u"Bearer [redacted]"_s << QStringList{u"[redacted]"_s}
                                    << u"Bearer [redacted]"_s << QString();
}

void TestMockSetFromRun::redactText()
{
    QFETCH(QString, text);
    QFETCH(QStringList, secrets);
    QFETCH(QString, expected);
    QFETCH(QString, reason);
    QString why;
    QCOMPARE(invoke::redactText(text, secrets, &why), expected);
    QCOMPARE(why, reason);
    // Masking twice changes nothing more.
    QCOMPARE(invoke::redactText(expected, secrets, &why), expected);
    QCOMPARE(why, QString());
}

void TestMockSetFromRun::redactJsonMembersAndPointers()
{
    MockSet set;
    set.insert(u"call"_s, MockResponse{true, Json{{"headers", {{"Api-Key", "abc123"}, {"x_auth_token", "zzz"}}},
                                                  {"usage", {{"input_tokens", 12}, {"max_tokens", 99}}},
                                                  {"items", Json::array({"ok", toStd(test::fakeCredential(u"ghs_"_s, u"0123456789abcdefghijklmnopqrstuvwxyz"_s))})},
                                                  {"a/b", {{"password", "hunter2"}}},
                                                  {"token", 42}},
                                             {}});
    set.insert(u"broken"_s, MockResponse{false, Json(), QString(u"401 for key "_s + test::fakeCredential(u"sk-"_s, u"abcdefghijklmnop1234"_s))});
    const QList<Redaction> found = redactMockSet(set, {});
    QStringList where;
    for (const Redaction &r : found)
        where.append(r.toString());
    QCOMPARE(where, (QStringList{u"key \"broken\" at /error: OpenAI-style API key"_s,
                                u"key \"call\" at /output/a~1b/password: a member named \"password\""_s,
                                u"key \"call\" at /output/headers/Api-Key: a member named \"Api-Key\""_s,
                                u"key \"call\" at /output/headers/x_auth_token: a member named \"x_auth_token\""_s,
                                u"key \"call\" at /output/items/1: GitHub token"_s}));
    const Json output = set.value(u"call"_s)->output;
    QCOMPARE(output["headers"]["Api-Key"], Json("[redacted]"));
    QCOMPARE(output["usage"]["input_tokens"], Json(12)); // numbers and *_tokens counts stay
    QCOMPARE(output["token"], Json(42));
    QCOMPARE(output["items"][0], Json("ok"));
    QCOMPARE(set.value(u"broken"_s)->error, u"401 for key [redacted]"_s);
    QVERIFY(redactMockSet(set, {}).isEmpty()); // nothing left to mask
}

QTEST_GUILESS_MAIN(TestMockSetFromRun)
#include "tst_mocksetfromrun.moc"
