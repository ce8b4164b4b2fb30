// A crash mid-run keeps what streamed so far, marked unfinished (issue 14), now that a
// process leaves the history's WAL unsynced and uncopied (core/history/store/historyschema.cpp):
// the real invoke-cli streams half an answer from a model that then stalls, is killed
// with SIGKILL once the history shows that half, and the next invoke-cli processes list
// the run as unfinished and show the half it streamed; the file passes SQLite's
// integrity check, and the next run is recorded beside it.
#include "tests/support/cliprocess.h"
#include "tests/support/openaistubserver.h"
#include "tests/support/serverprocess.h"

#include "core/model/json/json.h"

#include <QtCore/QProcess>
#include <QtCore/QTemporaryDir>
#include <QtSql/QSqlDatabase>
#include <QtSql/QSqlQuery>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace invoke;

class TstCliRunKilled : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_home;
    test::OpenAiStubServer m_llm;

    QProcessEnvironment environment() const
    {
        QProcessEnvironment env = test::ServerProcess::scratchEnvironment(m_home.path(), m_llm.baseUrl());
        env.insert(u"INVOKE_LLM_API_KEY"_s, u"sk-test-killed-0123456789abcdef"_s);
        return env;
    }
    test::CliRun cli(const QStringList &args)
    {
        return test::runProcess(test::cliProgram(), args, environment(), m_home.path());
    }
    Json runs()
    {
        return parseJson(cli({u"runs"_s, u"list"_s, u"--json"_s}).out.toUtf8());
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_llm.listen()); }

    void aKilledRunKeepsWhatStreamed()
    {
        test::StubReply stall = test::StubReply::text({u"Half of "_s, u"the answer"_s});
        stall.stallAfter = 1;
        m_llm.setReply(stall);
        QProcess invoke;
        invoke.setProcessEnvironment(environment());
        invoke.setWorkingDirectory(m_home.path());
        invoke.start(test::cliProgram(), {u"invoke"_s, u"chat"_s, u"-m"_s, u"tell me"_s, u"--mode"_s, u"live"_s});
        QVERIFY(invoke.waitForStarted(30000));
        // The history shows the half once its batch is written (every 250 ms).
        QString id;
        QVERIFY2(QTest::qWaitFor([&] {
                     const Json listed = runs();
                     if (!listed.is_array() || listed.empty())
                         return false;
                     id = stringField(listed[0], "invocation_id");
                     return !id.isEmpty()
                            && cli({u"runs"_s, u"show"_s, id, u"--format"_s, u"events"_s}).out.contains(u"Half of"_s);
                 }, 60000),
                 "the streamed half reached the history");
        QCOMPARE(invoke.state(), QProcess::Running); // still waiting for the rest
        invoke.kill(); // SIGKILL: no flush, no close
        QVERIFY(invoke.waitForFinished(30000));

        const Json listed = runs();
        QVERIFY2(listed.is_array() && listed.size() == 1, dumpJson(listed).constData());
        QCOMPARE(stringField(listed[0], "invocation_id"), id);
        QCOMPARE(stringField(listed[0], "outcome"), u"unfinished"_s);
        const test::CliRun shown = cli({u"runs"_s, u"show"_s, id, u"--format"_s, u"text"_s});
        QVERIFY2(shown.exitCode == 0 && shown.out.contains(u"Half of"_s), qPrintable(shown.out + shown.err));
        QVERIFY2(shown.out.contains(u"the run did not finish"_s), qPrintable(shown.out));

        // The file is whole, and the next run is recorded beside the killed one.
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"check"_s);
            db.setDatabaseName(m_home.filePath(u"data/Invoke Studio/invoke-studio/history.sqlite"_s));
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(u"PRAGMA integrity_check"_s) && q.next());
            QCOMPARE(q.value(0).toString(), u"ok"_s);
            db.close();
        }
        QSqlDatabase::removeDatabase(u"check"_s);
        m_llm.setReply(test::StubReply::text({u"A whole answer."_s}));
        const test::CliRun next = cli({u"invoke"_s, u"chat"_s, u"-m"_s, u"again"_s, u"--mode"_s, u"live"_s});
        QVERIFY2(next.exitCode == 0, qPrintable(next.err));
        const Json after = runs();
        QVERIFY2(after.is_array() && after.size() == 2, dumpJson(after).constData());
        QCOMPARE(stringField(after[0], "outcome"), u"succeeded"_s);
        QCOMPARE(stringField(after[1], "outcome"), u"unfinished"_s);
    }
};

QTEST_GUILESS_MAIN(TstCliRunKilled)
#include "tst_cli_runkilled.moc"
