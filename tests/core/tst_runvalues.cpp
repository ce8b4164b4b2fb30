// The typed values of a run and their words: each enum's wire word reads back as the same
// value, display labels are distinct, and words from elsewhere (a newer server, a typo)
// map to the documented fallback (core/model/invocation/runvalues.h, core/wire/events.h).
#include "core/format/labels.h"
#include "core/model/invocation/invokeresult.h"
#include "core/wire/events.h"

#include <QtTest/QTest>

using namespace invoke;
using namespace Qt::StringLiterals;

class TestRunValues : public QObject
{
    Q_OBJECT

private slots:
    void stepStatusRoundTrip_data();
    void stepStatusRoundTrip();
    void stepStatusFallback_data();
    void stepStatusFallback();
    void sourceRoundTrip_data();
    void sourceRoundTrip();
    void sourceFallback_data();
    void sourceFallback();
    void eventKindRoundTrip_data();
    void eventKindRoundTrip();
    void eventKindFallback_data();
    void eventKindFallback();
    void stepRecordJsonKeepsTheWords();
};

void TestRunValues::stepStatusRoundTrip_data()
{
    QTest::addColumn<StepStatus>("status");
    QTest::addColumn<QString>("word");
    QTest::addColumn<QString>("label");
    QTest::newRow("running") << StepStatus::Running << u"running"_s << u"running"_s;
    QTest::newRow("success") << StepStatus::Success << u"success"_s << u"succeeded"_s;
    QTest::newRow("error") << StepStatus::Error << u"error"_s << u"failed"_s;
    QTest::newRow("skipped") << StepStatus::Skipped << u"skipped"_s << u"skipped"_s;
    QTest::newRow("cancelled") << StepStatus::Cancelled << u"cancelled"_s << u"cancelled"_s;
}

void TestRunValues::stepStatusRoundTrip()
{
    QFETCH(StepStatus, status);
    QFETCH(QString, word);
    QFETCH(QString, label);
    QCOMPARE(QString(wireName(status)), word);
    QCOMPARE(stepStatusFromWire(word), std::optional<StepStatus>(status));
    QCOMPARE(finishedStatusFromWire(word, true), status);
    QCOMPARE(format::label(status), label);
}

void TestRunValues::stepStatusFallback_data()
{
    QTest::addColumn<QString>("word");
    QTest::addColumn<bool>("hasError");
    QTest::addColumn<StepStatus>("expected");
    QTest::newRow("absent, no error") << QString() << false << StepStatus::Success;
    QTest::newRow("absent, an error") << QString() << true << StepStatus::Error;
    QTest::newRow("unknown word") << u"timeout"_s << false << StepStatus::Error;
    QTest::newRow("case differs") << u"Success"_s << false << StepStatus::Error;
    QTest::newRow("the step_finished payload's own status") << u"step finished"_s << false << StepStatus::Error;
}

void TestRunValues::stepStatusFallback()
{
    QFETCH(QString, word);
    QFETCH(bool, hasError);
    QFETCH(StepStatus, expected);
    if (!word.isEmpty())
        QCOMPARE(stepStatusFromWire(word), std::optional<StepStatus>());
    QCOMPARE(finishedStatusFromWire(word, hasError), expected);
}

void TestRunValues::sourceRoundTrip_data()
{
    QTest::addColumn<Source>("source");
    QTest::addColumn<QString>("word");
    QTest::addColumn<QString>("label");
    QTest::newRow("live") << Source::Live << u"live"_s << u"live"_s;
    QTest::newRow("replay_hit") << Source::ReplayHit << u"replay_hit"_s << u"replay hit"_s;
    QTest::newRow("replay_stored") << Source::ReplayStored << u"replay_stored"_s << u"stored"_s;
    QTest::newRow("refreshed") << Source::Refreshed << u"refreshed"_s << u"refreshed"_s;
    QTest::newRow("mock") << Source::Mock << u"mock"_s << u"mock"_s;
    QTest::newRow("unknown") << Source::Unknown << QString() << QString();
}

void TestRunValues::sourceRoundTrip()
{
    QFETCH(Source, source);
    QFETCH(QString, word);
    QFETCH(QString, label);
    QCOMPARE(QString(wireName(source)), word);
    QCOMPARE(sourceFromWire(word), source);
    QCOMPARE(format::label(source), label);
}

void TestRunValues::sourceFallback_data()
{
    QTest::addColumn<QString>("word");
    QTest::newRow("a newer server's word") << u"edge_cache"_s;
    QTest::newRow("case differs") << u"Live"_s;
    QTest::newRow("a label, not a word") << u"replay hit"_s;
}

void TestRunValues::sourceFallback()
{
    QFETCH(QString, word);
    QCOMPARE(sourceFromWire(word), Source::Unknown);
}

void TestRunValues::eventKindRoundTrip_data()
{
    QTest::addColumn<EventKind>("kind");
    QTest::addColumn<QString>("type");
    QTest::newRow("invocation_started") << EventKind::InvocationStarted << u"invocation_started"_s;
    QTest::newRow("step_started") << EventKind::StepStarted << u"step_started"_s;
    QTest::newRow("message_content") << EventKind::MessageContent << u"message_content"_s;
    QTest::newRow("step_finished") << EventKind::StepFinished << u"step_finished"_s;
    QTest::newRow("status") << EventKind::Status << u"status"_s;
    QTest::newRow("invocation_finished") << EventKind::InvocationFinished << u"invocation_finished"_s;
    QTest::newRow("unknown") << EventKind::Unknown << QString();
}

void TestRunValues::eventKindRoundTrip()
{
    QFETCH(EventKind, kind);
    QFETCH(QString, type);
    QCOMPARE(QString(wire::typeName(kind)), type);
    QCOMPARE(wire::kindOfType(type), kind);
}

void TestRunValues::eventKindFallback_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<EventKind>("expected");
    QTest::newRow("a type from the future") << QByteArray(R"({"type": "tool_call", "payload": {}})") << EventKind::Unknown;
    QTest::newRow("an unknown type, a known shape")
        << QByteArray(R"({"type": "StepFinished", "payload": {"status": "step finished", "key": "a"}})")
        << EventKind::StepFinished;
    QTest::newRow("a type that is not a string") << QByteArray(R"({"type": 7, "payload": "x"})") << EventKind::Unknown;
    QTest::newRow("no payload") << QByteArray(R"({"metadata": {"seq": 1}})") << EventKind::Unknown;
}

void TestRunValues::eventKindFallback()
{
    QFETCH(QByteArray, json);
    QFETCH(EventKind, expected);
    const auto event = Event::decode(json);
    QVERIFY(event);
    QCOMPARE(wire::kindOf(*event), expected);
}

void TestRunValues::stepRecordJsonKeepsTheWords()
{
    StepRecord step;
    step.path = u"answer"_s;
    step.status = StepStatus::Cancelled;
    step.source = Source::ReplayStored;
    const Json json = step.toJson();
    QVERIFY(json["status"] == Json("cancelled"));
    QVERIFY(json["source"] == Json("replay_stored"));
    QCOMPARE(StepRecord::fromJson(json), step);
    // Unknown words read back as the fallbacks; nothing throws.
    Json odd = json;
    odd["status"] = "paused";
    odd["source"] = 12;
    const StepRecord read = StepRecord::fromJson(odd);
    QCOMPARE(read.status, StepStatus::Error);
    odd.erase("status");
    QCOMPARE(StepRecord::fromJson(odd).status, StepStatus::Running);
    QCOMPARE(read.source, Source::Unknown);
    QVERIFY(StepRecord().toJson()["source"] == Json(""));
}

QTEST_GUILESS_MAIN(TestRunValues)
#include "tst_runvalues.moc"
