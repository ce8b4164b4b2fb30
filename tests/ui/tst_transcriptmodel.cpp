#include "core/fold/runfold.h"
#include "tests/ui/runscript.h"
#include "ui/run/transcriptmodel.h"

#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using invoke::Event;
using invoke::InvokeResult;
using invoke::Json;
using invoke::Message;
using invoke::RunFold;
using invoke::test::RunScript;
using invoke::test::batchesOf;
using invoke::ui::TranscriptModel;

namespace {

// The transcript as text: one line per turn, "speaker[flags]: text".
QString dump(const TranscriptModel &model)
{
    QString out;
    for (int row = 0; row < model.rowCount(); ++row) {
        const QModelIndex index = model.index(row);
        QString flags;
        if (!index.data(TranscriptModel::FinishedRole).toBool())
            flags += u" streaming"_s;
        if (index.data(TranscriptModel::CancelledRole).toBool())
            flags += u" cancelled"_s;
        if (index.data(TranscriptModel::ErrorRole).toBool())
            flags += u" error"_s;
        out += index.data(TranscriptModel::SpeakerRole).toString() + flags + u": "_s
               + index.data().toString().replace(u'\n', u"\\n"_s) + u'\n';
    }
    return out;
}

InvokeResult resultOf(const QList<Event> &events)
{
    RunFold fold;
    fold.add(events);
    return fold.result();
}

QList<Event> answerRun(RunScript &run)
{
    return {
        run.begin(),
        run.started(u"think"_s, u"llm.message"_s),
        run.chunk(u"think"_s, u"private reasoning"_s, u"m0"_s, false),
        run.finished(u"think"_s, u"llm.message"_s, u"success"_s, u"mock"_s, 3),
        run.started(u"answer"_s, u"llm.message"_s),
        run.chunk(u"answer"_s, u"Tides are "_s, u"m1"_s),
        run.chunk(u"answer"_s, u"caused by "_s, u"m1"_s),
        run.chunk(u"answer"_s, u"the moon."_s, u"m1"_s),
        run.finished(u"answer"_s, u"llm.message"_s, u"success"_s, u"mock"_s, 5),
        run.end(),
    };
}

} // namespace

class TestTranscriptModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void answerGrowsOncePerBatch()
    {
        TranscriptModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

        model.addUserTurn(u"Why are there tides?"_s);
        RunScript run;
        const QList<Event> events = answerRun(run);
        const auto batches = batchesOf(events, 6); // [..first chunk], [two chunks, ..end]
        model.addEvents(batches.at(0));
        QCOMPARE(dump(model), u"user: Why are there tides?\nassistant streaming: Tides are \n"_s);
        QVERIFY(model.isStreaming());
        QCOMPARE(inserted.count(), 2); // the user turn, then the answer once
        QCOMPARE(changed.count(), 0);

        model.addEvents(batches.at(1));
        QCOMPARE(inserted.count(), 2);
        QCOMPARE(changed.count(), 1); // two chunks, one change
        QCOMPARE(dump(model), u"user: Why are there tides?\nassistant streaming: Tides are caused by the moon.\n"_s);
        // An unfinished answer is not part of the conversation yet.
        QCOMPARE(model.conversation(), (QList<Message>{Message::user(u"Why are there tides?"_s)}));

        model.finishTurn(resultOf(events));
        QVERIFY(!model.isStreaming());
        QCOMPARE(dump(model), u"user: Why are there tides?\nassistant: Tides are caused by the moon.\n"_s);
        QCOMPARE(model.conversation(), (QList<Message>{Message::user(u"Why are there tides?"_s),
                                                       Message::assistant(u"Tides are caused by the moon."_s)}));
    }

    void secondTurnSendsTheHistory()
    {
        TranscriptModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        for (const QString &question : {u"One?"_s, u"Two?"_s}) {
            model.addUserTurn(question);
            RunScript run;
            const QList<Event> events = answerRun(run);
            for (const QList<Event> &batch : batchesOf(events, 2))
                model.addEvents(batch);
            model.finishTurn(resultOf(events));
        }
        const QString answer = u"Tides are caused by the moon."_s;
        QCOMPARE(model.conversation(), (QList<Message>{Message::user(u"One?"_s), Message::assistant(answer),
                                                       Message::user(u"Two?"_s), Message::assistant(answer)}));
        QCOMPARE(model.rowCount(), 4);
    }

    void hiddenContentIsNotShown()
    {
        TranscriptModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        RunScript run;
        const QList<Event> events{run.chunk(u"think"_s, u"secret"_s, u"m0"_s, false), run.end()};
        model.addEvents(events);
        QCOMPARE(model.rowCount(), 0);
        model.finishTurn(resultOf(events));
        // A run with no visible output still ends with a (finished, empty) answer.
        QCOMPARE(dump(model), u"assistant: \n"_s);
        QCOMPARE(model.conversation(), QList<Message>());
    }

    void messagesAreKeptWholeOnceFinished()
    {
        // Two parallel steps interleave their chunks while streaming; the finished
        // answer has each message whole, separated like paragraphs.
        TranscriptModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        RunScript run;
        const QList<Event> events{run.chunk(u"a"_s, u"Alpha "_s, u"ma"_s),
                                  run.chunk(u"b"_s, u"Beta "_s, u"mb"_s),
                                  run.chunk(u"a"_s, u"one"_s, u"ma"_s),
                                  run.chunk(u"b"_s, u"two"_s, u"mb"_s),
                                  run.end()};
        model.addEvents(events);
        QCOMPARE(dump(model), u"assistant streaming: Alpha \\n\\nBeta \\n\\none\\n\\ntwo\n"_s);
        model.finishTurn(resultOf(events));
        QCOMPARE(dump(model), u"assistant: Alpha one\\n\\nBeta two\n"_s);
    }

    void plainSdkMessageContent()
    {
        TranscriptModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const QList<Event> events{
            Event::fromJson(Json{{"payload", "Hello "}, {"metadata", {{"message_content_id", "m"}}}}),
            Event::fromJson(Json{{"payload", "world"}, {"metadata", {{"message_content_id", "m"},
                                                                    {"user_visibility", "visible"}}}}),
            Event::fromJson(Json{{"payload", "no"}, {"metadata", {{"message_content_id", "h"},
                                                                 {"user_visibility", "hidden"}}}}),
            Event::fromJson(Json{{"payload", "not a message"}}),
        };
        model.addEvents(events);
        QCOMPARE(dump(model), u"assistant streaming: Hello world\n"_s);
    }

    void quickReadingAgreesWithAParse()
    {
        // Chunks are read without a parse when the event says it is message_content;
        // every odd spelling must give what a parse gives.
        const char *const raws[] = {
            "{\"type\":\"message_content\",\"payload\":\"caf\\u00e9 \\\"q\\\" \\\\ \\n\",\"metadata\":{\"message_content_id\":\"m1\"}}",
            "{ \"type\" : \"message_content\" , \"metadata\" : { \"user_visibility\" : \"hidden\", \"message_content_id\" : \"m1\" } , \"payload\" : \"secret\" }",
            "{\"type\":\"message_content\",\"payload\":{\"a\":[1,\"}\"]},\"metadata\":{\"message_content_id\":\"m2\",\"content_type\":\"json\"}}",
            "{\"type\":\"message_content\",\"payload\":null,\"metadata\":{\"message_content_id\":\"m2\"}}",
            "{\"type\":\"message_content\",\"payload\":\"x\",\"metadata\":{\"user_visibility\":5,\"message_content_id\":\"m2\"}}",
            "{\"type\":\"message_content\",\"payload\":\"y\",\"metadata\":{\"\\u0075ser_visibility\":\"hidden\",\"message_content_id\":\"m2\"}}",
            "{\"type\":\"message_content\",\"payload\":\"\\ud83d\\ude00 z\",\"metadata\":{\"message_content_id\":\"m3\",\"user_visibility\":\"visible\"}}",
            "{\"type\":\"message_content\",\"payload\":\"no metadata\"}",
            "{\"type\":\"message_content\",\"payload\":\"odd metadata\",\"metadata\":[1]}",
        };
        QList<Event> events;
        QString expected, lastId;
        for (const char *raw : raws) {
            QString why;
            const auto event = Event::decode(QByteArray(raw), &why);
            QVERIFY2(event, qPrintable(why));
            events.append(*event);
            // The reference: a parse, read as the wire contract says.
            const Json parsed = event->json();
            const Json &meta = invoke::wire::metadataOf(parsed);
            if (invoke::stringField(meta, "user_visibility", u"visible"_s) != u"visible"_s)
                continue;
            const Json &payload = invoke::wire::payloadOf(parsed);
            const QString id = invoke::stringField(meta, "message_content_id");
            if (!expected.isEmpty() && id != lastId)
                expected += u"\n\n"_s;
            lastId = id;
            expected += payload.is_string() ? invoke::toQString(payload.get<std::string>())
                        : payload.is_null() ? QString() : QString::fromUtf8(invoke::dumpJson(payload));
        }
        QCOMPARE(expected.left(9), u"café \"q\" "_s); // the reference read the first one right
        TranscriptModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.addEvents(events);
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.textAt(0), expected);
        QVERIFY(!model.textAt(0).contains(u"secret"_s));
        QVERIFY(!model.textAt(0).contains(u"y"_s));
    }

    void failedRunAddsAnErrorTurn()
    {
        TranscriptModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.addUserTurn(u"Hi"_s);
        RunScript run;
        const QList<Event> events{run.started(u"answer"_s, u"llm.message"_s),
                                  run.finished(u"answer"_s, u"llm.message"_s, u"error"_s, u"live"_s, 1, {},
                                               u"The LLM at http://localhost:9 could not be reached"_s),
                                  run.end(u"error"_s, u"step \"answer\" failed: the LLM could not be reached"_s)};
        model.addEvents(events);
        model.finishTurn(resultOf(events));
        QCOMPARE(dump(model), u"user: Hi\nerror error: step \"answer\" failed: the LLM could not be reached\n"_s);
        QCOMPARE(model.conversation(), (QList<Message>{Message::user(u"Hi"_s)}));

        // Partial text before the failure stays, finished, above the error.
        model.addUserTurn(u"Again"_s);
        RunScript second;
        const QList<Event> partial{second.chunk(u"answer"_s, u"Half an ans"_s), second.end(u"error"_s, u"cut off"_s)};
        model.addEvents(partial.mid(0, 1));
        model.finishTurn(resultOf(partial));
        QCOMPARE(dump(model), u"user: Hi\nerror error: step \"answer\" failed: the LLM could not be reached\n"
                              u"user: Again\nassistant: Half an ans\nerror error: cut off\n"_s);
    }

    void cancelKeepsThePartialAnswer()
    {
        TranscriptModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.addUserTurn(u"Write a poem"_s);
        RunScript run;
        const QList<Event> events{run.started(u"answer"_s, u"llm.message"_s), run.chunk(u"answer"_s, u"Roses are"_s)};
        model.addEvents(events);
        RunFold fold;
        fold.add(events);
        fold.markCancelled();
        model.finishTurn(fold.result());
        QCOMPARE(dump(model), u"user: Write a poem\nassistant cancelled: Roses are\n"_s);
        QCOMPARE(model.conversation().size(), 2);
    }

    void jsonMessagesAreFencedForMarkdown()
    {
        TranscriptModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        RunScript run;
        const QList<Event> events{run.chunk(u"a"_s, u"Here:"_s, u"m1"_s),
                                  run.chunk(u"b"_s, u"{\"x\": 1}"_s, u"m2"_s, true, u"json"_s), run.end()};
        model.addEvents(events);
        QCOMPARE(model.index(0).data(TranscriptModel::MarkdownRole).toString(), u"Here:\n\n{\"x\": 1}"_s);
        model.finishTurn(resultOf(events));
        QCOMPARE(model.index(0).data(TranscriptModel::MarkdownRole).toString(),
                 u"Here:\n\n```json\n{\"x\": 1}\n```"_s);
        QCOMPARE(model.index(0).data().toString(), u"Here:\n\n{\"x\": 1}"_s);
    }

    void newConversation()
    {
        TranscriptModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.addUserTurn(u"Hi"_s);
        RunScript run;
        model.addEvents(answerRun(run));
        model.clear();
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(!model.isStreaming());
        QCOMPARE(model.conversation(), QList<Message>());
    }
};

QTEST_MAIN(TestTranscriptModel)
#include "tst_transcriptmodel.moc"
