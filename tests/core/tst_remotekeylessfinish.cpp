// RemoteBackend reading a stream as the public SDK's backend sends it, over real HTTP on
// loopback (tests/support/plaininvokeserver.h): "step finished" events with neither key
// nor path, a hidden message and a visible one, CRLF line ends, every event split across
// reads (inside its JSON and between the CR and LF). Both steps end finished under their
// own keys; no unnamed step appears; the hidden text stays out of the result.
#include "core/backend/invocation.h"
#include "core/backend/remotebackend.h"
#include "tests/support/plaininvokeserver.h"

#include <QtTest/QtTest>

#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;
using namespace invoke;

namespace {

BotInfo bot(const QString &key)
{
    BotInfo info;
    info.key = key;
    info.name = u"Tidy"_s;
    info.updatedAt = QDateTime(QDate(2026, 1, 2), QTime(3, 4, 5), Qt::UTC);
    return info;
}

QStringList stepLines(const InvokeResult &result)
{
    QStringList lines;
    for (const StepRecord &step : result.steps)
        lines << u"%1 %2 %3"_s.arg(step.key, step.actionType, QString(wireName(step.status)));
    return lines;
}

} // namespace

class TestRemoteKeylessFinish : public QObject
{
    Q_OBJECT

private:
    // Runs "tidy" on a server scripted with `script`; the batches as they arrived, and
    // after each batch whether the fold's steps matched the events so far (every start
    // a step, every finish a finished step, nothing more).
    InvokeResult run(const test::PlainScript &script, QList<QList<Event>> *batches = nullptr,
                     QStringList *mismatches = nullptr)
    {
        test::PlainInvokeServer server;
        if (!server.listen())
            qFatal("the loopback server does not listen");
        server.addBot(bot(u"tidy"_s), script);
        RemoteBackend::Options options;
        options.endpoint = QUrl(server.endpoint());
        RemoteBackend backend(options);
        InvokeRequest request;
        request.botKey = u"tidy"_s;
        request.messages = {Message::user(u"tidy this"_s)};
        std::unique_ptr<Invocation> invocation(backend.invoke(request));
        QList<InvokeResult> finished;
        int starts = 0;
        int finishes = 0;
        QObject::connect(invocation.get(), &Invocation::eventsArrived, invocation.get(),
                         [&](const QList<Event> &batch) {
                             if (batches)
                                 batches->append(batch);
                             for (const Event &event : batch) {
                                 if (event.raw.contains("step finished"))
                                     ++finishes;
                                 else if (event.raw.contains("\"action_type\""))
                                     ++starts;
                             }
                             const QList<StepRecord> &steps = invocation->fold().result().steps;
                             const auto done = std::count_if(steps.cbegin(), steps.cend(), [](const StepRecord &step) {
                                 return step.status != StepStatus::Running;
                             });
                             if (mismatches && (steps.size() != starts || done != finishes))
                                 mismatches->append(u"%1 steps, %2 finished after %3 starts and %4 finishes"_s
                                                        .arg(steps.size()).arg(done).arg(starts).arg(finishes));
                         });
        QObject::connect(invocation.get(), &Invocation::finished, invocation.get(),
                         [&](const InvokeResult &r) { finished.append(r); });
        // A guard against a hang, not a timing check.
        if (!QTest::qWaitFor([&] { return !finished.isEmpty(); }, 60000))
            qFatal("the invocation never finished");
        return finished.first();
    }

private Q_SLOTS:
    void keylessFinishesCloseTheirSteps()
    {
        test::PlainScript script = test::PlainScript::stream(test::PlainInvokeServer::keylessFinishRun(u"Tidy"_s));
        script.crlf = true;
        script.split = true;
        QList<QList<Event>> batches;
        QStringList mismatches;
        const InvokeResult result = run(script, &batches, &mismatches);

        QVERIFY2(result.success, qPrintable(result.error));
        QCOMPARE(result.botName, u"Tidy"_s);
        QCOMPARE(result.invocationId, u"inv-keyless-1"_s);
        QCOMPARE(stepLines(result), (QStringList{u"think llm.message success"_s, u"tidy utils.write success"_s}));
        QCOMPARE(result.steps[0].path, u"think"_s);
        QCOMPARE(result.steps[1].path, u"tidy"_s);
        QVERIFY(result.steps[1].output == Json("Clean answer."));
        // Each finish closed its step as it arrived, not only at the end.
        QCOMPARE(mismatches, QStringList());

        QCOMPARE(result.visibleText(), u"Clean answer."_s);
        QVERIFY(!result.visibleText().contains(u"private"_s));
        QCOMPARE(result.messages.size(), qsizetype(2));
        QCOMPARE(result.messages[0].content, u"private notes"_s);
        QVERIFY(!result.messages[0].visible);
        QVERIFY(result.messages[1].visible);

        // The pieces really came in separate reads: the events arrived in many batches.
        qsizetype events = 0;
        for (const QList<Event> &batch : std::as_const(batches))
            events += batch.size();
        QCOMPARE(events, qsizetype(10));
        QVERIFY2(batches.size() >= 5, qPrintable(u"%1 batches"_s.arg(batches.size())));
    }

    void sameResultUnsplitAndWithLf()
    {
        // The framing does not matter: one burst with LF line ends folds the same way.
        test::PlainScript script = test::PlainScript::stream(test::PlainInvokeServer::keylessFinishRun(u"Tidy"_s));
        script.batched = true;
        const InvokeResult result = run(script);
        QVERIFY2(result.success, qPrintable(result.error));
        QCOMPARE(stepLines(result), (QStringList{u"think llm.message success"_s, u"tidy utils.write success"_s}));
        QCOMPARE(result.visibleText(), u"Clean answer."_s);
    }
};

QTEST_GUILESS_MAIN(TestRemoteKeylessFinish)
#include "tst_remotekeylessfinish.moc"
