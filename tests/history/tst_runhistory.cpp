// RunHistory on the real engine: a run is recorded with every event it streamed, its
// bot's plan and the secrets masked; a run whose invocation goes away mid-stream stays,
// unfinished, under its id; a history that cannot be opened says why and the run still
// finishes.
#include "core/backend/invocation.h"
#include "core/backend/localbackend.h"
#include "core/history/historystore.h"
#include "core/history/runhistory.h"
#include "tests/support/openaistubserver.h"

#include <QtCore/QDir>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

using namespace Qt::StringLiterals;
using namespace invoke;
using namespace invoke::history;

class TestRunHistory : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    test::OpenAiStubServer m_llm;

    std::unique_ptr<LocalBackend> backend()
    {
        LocalBackend::Options o;
        o.botFolders = {u":/bots"_s};
        o.replayCacheFile = m_dir.filePath(u"replay.sqlite"_s);
        o.datasetFolders = {u":/datasets"_s};
        o.datasetIndexFile = m_dir.filePath(u"index.sqlite"_s);
        o.llm.baseUrl = m_llm.baseUrl();
        o.llm.model = u"stub-model"_s;
        o.llm.apiKey = u"sk-stub-key-0123456789abcdef"_s;
        return std::make_unique<LocalBackend>(o);
    }

    static InvokeRequest chat(Mode mode, const QString &text)
    {
        InvokeRequest r;
        r.botKey = u"chat"_s;
        r.messages = {Message::user(text)};
        r.mode = mode;
        return r;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_llm.listen()); }

    void aRunIsRecordedWhole()
    {
        const QString file = m_dir.filePath(u"h1.sqlite"_s);
        auto engine = backend();
        RunHistory history({file});
        QSignalSpy recorded(&history, &RunHistory::runRecorded);
        m_llm.setReply(test::StubReply::text({u"Hello "_s, u"from "_s, u"the stub"_s}, 7, 3));
        const QString secret = u"hunter2-password"_s;
        std::unique_ptr<Invocation> invocation(engine->invoke(chat(Mode::live(), u"my password is "_s + secret)));
        QList<Event> seen;
        connect(invocation.get(), &Invocation::eventsArrived, this, [&](const QList<Event> &e) { seen += e; });
        history.record(invocation.get(), chat(Mode::live(), u"my password is "_s + secret),
                       {u"Embedded"_s, {secret}, engine.get()});
        QVERIFY(QTest::qWaitFor([&] { return invocation->isFinished(); }, 60000));
        QVERIFY(QTest::qWaitFor([&] { return recorded.size() == 1; }, 60000));
        history.flush();
        QCOMPARE(recorded.first().first().toString(), invocation->result().invocationId);

        HistoryStore store(file);
        QString why;
        QVERIFY(store.open(&why));
        const auto run = store.load(invocation->result().invocationId, &why);
        QVERIFY2(run, qPrintable(why));
        QCOMPARE(run->events.size(), seen.size());
        for (qsizetype i = 0; i < seen.size(); ++i) // as streamed, the secret masked
            QCOMPARE(run->events[i].event.raw, QByteArray(seen[i].raw).replace(secret.toUtf8(), "[redacted]"));
        QVERIFY(std::any_of(seen.cbegin(), seen.cend(), [&](const Event &e) { return e.raw.contains(secret.toUtf8()); }));
        QCOMPARE(run->summary.outcome, Outcome::Succeeded);
        QCOMPARE(run->summary.mode, u"live"_s);
        QCOMPARE(run->summary.tokens, 10);
        QCOMPARE(run->summary.resultText, u"Hello from the stub"_s);
        QVERIFY(!run->summary.botUpdatedAt.isEmpty());
        QCOMPARE(stringField(run->botPlan["bot"], "key"), u"chat"_s);
        QCOMPARE(run->request.messages.first().content, u"my password is [redacted]"_s);
        QCOMPARE(run->result().visibleText(), invocation->result().visibleText());
    }

    void aRunCutShortStaysUnfinished()
    {
        const QString file = m_dir.filePath(u"h2.sqlite"_s);
        auto engine = backend();
        test::StubReply stall = test::StubReply::text({u"half "_s, u"never"_s});
        stall.stallAfter = 1;
        m_llm.setReply(stall);
        QString id;
        {
            RunHistory history({file});
            Invocation *invocation = engine->invoke(chat(Mode::live(), u"stall"_s));
            history.record(invocation, chat(Mode::live(), u"stall"_s), {u"Embedded"_s, {}, nullptr});
            bool sawText = false;
            connect(invocation, &Invocation::eventsArrived, this, [&](const QList<Event> &events) {
                for (const Event &e : events)
                    sawText = sawText || e.type == u"message_content"_s;
            });
            QVERIFY(QTest::qWaitFor([&] { return sawText; }, 60000));
            id = invocation->fold().result().invocationId;
            delete invocation; // as if the process went away mid-stream
            history.flush();
        }
        HistoryStore store(file);
        QString why;
        QVERIFY(store.open(&why));
        const auto run = store.load(id, &why);
        QVERIFY2(run, qPrintable(why));
        QCOMPARE(run->summary.outcome, Outcome::Unfinished);
        QVERIFY(run->events.size() >= 3);
        QCOMPARE(run->result().visibleText(), u"half "_s);
    }

    void anUnusableHistoryNeverStopsARun()
    {
        const QString folder = m_dir.filePath(u"a-folder.sqlite"_s);
        QVERIFY(QDir().mkpath(folder)); // a folder where the file should be
        auto engine = backend();
        RunHistory history({folder});
        QSignalSpy unavailable(&history, &RunHistory::unavailable);
        std::unique_ptr<Invocation> invocation(engine->invoke(chat(Mode::manual(), u"hi"_s)));
        history.record(invocation.get(), chat(Mode::manual(), u"hi"_s), {u"Embedded"_s, {}, nullptr});
        QVERIFY(QTest::qWaitFor([&] { return invocation->isFinished(); }, 60000));
        history.flush();
        QVERIFY(QTest::qWaitFor([&] { return unavailable.size() == 1; }, 10000));
        QVERIFY2(history.unavailableReason().contains(folder), qPrintable(history.unavailableReason()));
        QVERIFY(!invocation->result().error.contains(u"history"_s));
    }
};

QTEST_GUILESS_MAIN(TestRunHistory)
#include "tst_runhistory.moc"
