// The bot definitions invoke-cli's history keeps with a run (docs/runs.md), through the
// real invoke-cli on scratch homes: `runs export` of a run whose bot files were edited or
// removed since still carries the versions the run used (with no note: nothing is left
// out), the same definition is kept once for many runs, and a run that came in with
// `runs import` exports with the bots its file carried, on a home that has no such bots;
// there a re-run of the file, re-run by its id, runs the bots the history kept with it.
#include "tests/support/cliprocess.h"
#include "tests/support/openaistubserver.h"
#include "tests/support/serverprocess.h"

#include "core/history/historystore.h"
#include "core/history/runfile.h"
#include "core/model/json/json.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QTemporaryDir>
#include <QtSql/QSqlDatabase>
#include <QtSql/QSqlQuery>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace invoke;

namespace {

const QString kApiKey = u"sk-test-runbots-0123456789abcdef"_s;

const QByteArray kBrewer = R"({
  "bot": {"key": "tea-brewer", "name": "Tea brewer"},
  "steps": [
    {"key": "draft", "action_type": "llm.message", "parameters": {"query": "{{query}}"}, "user_output_visibility": "hidden"},
    {"key": "polish", "action_type": "bot.invoke", "depends_on": ["draft"],
     "parameters": {"bot_key": "tea-polisher", "messages": "{{steps.draft.content}}"}}
  ]
})";
const QByteArray kPolisher = R"({
  "bot": {"key": "tea-polisher", "name": "Tea polisher"},
  "steps": [{"key": "answer", "action_type": "llm.message", "parameters": {"query": "{{query}}"}}]
})";

QString userBotsOf(const QTemporaryDir &home)
{
    return home.filePath(u"data/Invoke Studio/invoke-studio/bots"_s);
}

QString historyOf(const QTemporaryDir &home)
{
    return home.filePath(u"data/Invoke Studio/invoke-studio/history.sqlite"_s);
}

} // namespace

class TstCliRunBots : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_home, m_other;
    test::OpenAiStubServer m_llm;

    test::CliRun run(const QTemporaryDir &home, const QStringList &args)
    {
        QProcessEnvironment env = test::ServerProcess::scratchEnvironment(home.path(), m_llm.baseUrl());
        env.insert(u"INVOKE_LLM_API_KEY"_s, kApiKey);
        return test::runProcess(test::cliProgram(), args, env, home.path());
    }
    QString newest(const QTemporaryDir &home)
    {
        const Json runs = parseJson(run(home, {u"runs"_s, u"list"_s, u"--json"_s}).out.toUtf8());
        return runs.is_array() && !runs.empty() ? stringField(runs[0], "invocation_id") : QString();
    }
    static void writeBot(const QTemporaryDir &home, const QString &name, const QByteArray &bytes, const QDateTime &at)
    {
        QVERIFY(QDir().mkpath(userBotsOf(home)));
        QFile f(QDir(userBotsOf(home)).filePath(name));
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        QCOMPARE(f.write(bytes), bytes.size());
        QVERIFY(f.flush()); // before the time: a write at close would set it again
        QVERIFY(f.setFileTime(at, QFileDevice::FileModificationTime));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_llm.listen());
        m_llm.setReply(test::StubReply::text({u"Three minutes."_s}, 4, 2));
    }

    void exportCarriesTheVersionsTheRunUsed()
    {
        const QDateTime brewedAt = QDateTime::fromString(u"2026-06-01T08:00:00.250Z"_s, Qt::ISODateWithMs);
        const QDateTime polishedAt = QDateTime::fromString(u"2026-06-01T09:00:00.750Z"_s, Qt::ISODateWithMs);
        writeBot(m_home, u"tea-brewer.bot.json"_s, kBrewer, brewedAt);
        writeBot(m_home, u"tea-polisher.bot.json"_s, kPolisher, polishedAt);
        for (int i = 0; i < 3; ++i) {
            const test::CliRun invoked = run(m_home, {u"invoke"_s, u"tea-brewer"_s, u"-m"_s, u"how long?"_s, u"--mode"_s, u"live"_s});
            QVERIFY2(invoked.exitCode == 0, qPrintable(invoked.err + invoked.out));
        }
        const QString id = newest(m_home);
        QVERIFY(!id.isEmpty());

        // Each definition once for the three runs, each run tied to both.
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"peek"_s);
            db.setDatabaseName(historyOf(m_home));
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(u"SELECT (SELECT COUNT(*) FROM bot_sources), (SELECT COUNT(*) FROM run_bots)"_s) && q.next());
            QCOMPARE(q.value(0).toInt(), 2);
            QCOMPARE(q.value(1).toInt(), 6);
            db.close();
        }
        QSqlDatabase::removeDatabase(u"peek"_s);

        // The brewer is edited and the polisher removed after the runs.
        writeBot(m_home, u"tea-brewer.bot.json"_s, QByteArray(kBrewer).replace("Tea brewer", "Tea brewer, edited"),
                 QDateTime::currentDateTimeUtc());
        QVERIFY(QFile::remove(QDir(userBotsOf(m_home)).filePath(u"tea-polisher.bot.json"_s)));

        const QString file = m_home.filePath(u"brew.invokerun"_s);
        const test::CliRun exported = run(m_home, {u"runs"_s, u"export"_s, id, file});
        QVERIFY2(exported.exitCode == 0, qPrintable(exported.err));
        QVERIFY2(exported.err.contains(u"the definitions of tea-brewer, tea-polisher"_s), qPrintable(exported.err));
        QVERIFY2(!exported.err.contains(u"not in the file"_s), qPrintable(exported.err));
        QString why;
        const auto written = history::readRunFile(file, &why);
        QVERIFY2(written, qPrintable(why));
        QCOMPARE(written->bots.size(), 2);
        QCOMPARE(written->bots[0].key, u"tea-brewer"_s);
        QCOMPARE(written->bots[0].content, kBrewer);
        QCOMPARE(written->bots[0].updatedAt, brewedAt.toUTC().toString(Qt::ISODateWithMs));
        QCOMPARE(written->bots[1].key, u"tea-polisher"_s);
        QCOMPARE(written->bots[1].content, kPolisher);
        QCOMPARE(written->bots[1].updatedAt, polishedAt.toUTC().toString(Qt::ISODateWithMs));

        // On a home that has neither bot: import keeps the file's definitions with the
        // run, and its export carries them.
        const test::CliRun imported = run(m_other, {u"runs"_s, u"import"_s, file});
        QVERIFY2(imported.exitCode == 0, qPrintable(imported.err));
        QVERIFY(!QFileInfo::exists(QDir(userBotsOf(m_other)).filePath(u"tea-brewer.bot.json"_s)));
        const QString again = m_other.filePath(u"again.invokerun"_s);
        const test::CliRun reexported = run(m_other, {u"runs"_s, u"export"_s, id, again});
        QVERIFY2(reexported.exitCode == 0, qPrintable(reexported.err));
        QVERIFY2(!reexported.err.contains(u"not in the file"_s), qPrintable(reexported.err));
        const auto copy = history::readRunFile(again, &why);
        QVERIFY2(copy, qPrintable(why));
        QVERIFY(copy->bots == written->bots);
        history::HistoryStore store(historyOf(m_other));
        QVERIFY(store.open(&why));
        QVERIFY(store.bots(id, &why).value_or(QList<history::BotSource>()) == written->bots);
    }

    // On the home without the bots: the file re-runs in replay from its own entries, and
    // that re-run, re-run again by its id, runs the bots the history kept with it (it
    // fails with "not found" when the kept bots are not used), without calling the model.
    void aRerunOfAFileRerunsByItsIdWithTheKeptBots()
    {
        const QString file = m_home.filePath(u"brew.invokerun"_s);
        QVERIFY(QFileInfo::exists(file)); // written by the case above
        const qsizetype calls = m_llm.requests().size();
        const test::CliRun first = run(m_other, {u"runs"_s, u"rerun"_s, file, u"--mode"_s, u"replay"_s});
        QVERIFY2(first.exitCode == 0, qPrintable(first.err + first.out));
        QVERIFY2(first.out.contains(u"Three minutes."_s), qPrintable(first.out));
        const QString rerunId = newest(m_other);
        QVERIFY(!rerunId.isEmpty());

        const test::CliRun again = run(m_other, {u"runs"_s, u"rerun"_s, rerunId, u"--mode"_s, u"replay"_s});
        QVERIFY2(again.exitCode == 0, qPrintable(again.err + again.out));
        QVERIFY2(again.out.contains(u"Three minutes."_s), qPrintable(again.out));
        QCOMPARE(m_llm.requests().size(), calls);
        QVERIFY(!QFileInfo::exists(QDir(userBotsOf(m_other)).filePath(u"tea-brewer.bot.json"_s)));
    }
};

QTEST_GUILESS_MAIN(TstCliRunBots)
#include "tst_cli_runbots.moc"
