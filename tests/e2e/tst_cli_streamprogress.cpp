// invoke-cli invoke --stream -v as the public SDK's verbose stream, through the real
// invoke-cli process: the Bot: and Invocation ID: header first, "▸ path (action)" when a
// visible step starts, "✓ path" when it ends, each on a line of its own around the
// streamed text; plain when piped (stdout then holds only the text), colour and a live
// elapsed line on a terminal (a pty from script(1)), NO_COLOR honoured; the bundled mock
// set named for people.
#include "tests/support/cliprocess.h"
#include "tests/support/openaistubserver.h"
#include "tests/support/serverprocess.h"
#include "tests/support/testpaths.h"

#include <QtCore/QProcess>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace invoke;

namespace {

const QStringList researchArgs{u"invoke"_s, u"research-assistant"_s, u"--mode"_s, u"manual"_s, u"-m"_s,
                               u"green or black tea?"_s, u"--stream"_s, u"-v"_s};

// Runs invoke-cli with stdout and stderr in one pipe, as `2>&1 | less` sees it.
QString runMerged(const QStringList &args, const QProcessEnvironment &env)
{
    QProcess process;
    process.setProcessEnvironment(env);
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.setWorkingDirectory(test::sourceDir());
    process.start(test::cliProgram(), args);
    if (!process.waitForFinished(120000) || process.exitCode() != 0)
        qWarning("invoke-cli: exit %d", process.exitCode());
    return QString::fromUtf8(process.readAll());
}

// The command line for script(1), each argument quoted for its shell.
QString shellLine(const QStringList &args)
{
    QStringList quoted{test::cliProgram()};
    for (const QString &arg : args)
        quoted << u"'"_s + QString(arg).replace(u"'"_s, u"'\\''"_s) + u"'"_s;
    return quoted.join(u' ');
}

} // namespace

class TstCliStreamProgress : public QObject
{
    Q_OBJECT

    QTemporaryDir m_home;

    QProcessEnvironment environment(const QHash<QString, QString> &env = {}) const
    {
        QProcessEnvironment e = test::withVariables(test::ServerProcess::scratchEnvironment(m_home.path()), env);
        e.remove(u"NO_COLOR"_s);
        e.insert(u"TERM"_s, u"xterm-256color"_s);
        return test::withVariables(e, env);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_home.isValid());
        QVERIFY2(QFileInfo(test::cliProgram()).isExecutable(), "build invoke-cli first");
    }

    void pipedShowsHeaderStepsAndTextOnLinesOfTheirOwn()
    {
        const QString all = runMerged(researchArgs, environment());
        const QStringList lines = all.split(u'\n');
        QVERIFY2(!all.contains(u'\x1b'), qPrintable(all)); // plain when piped
        QVERIFY2(!all.contains(u":/"_s), qPrintable(all));  // no resource paths
        QCOMPARE(lines.value(0), u"Using the bundled example mock set for research-assistant"_s);
        QCOMPARE(lines.value(1), u"Bot: Research assistant (research-assistant)"_s);
        QVERIFY2(lines.value(2).startsWith(u"Invocation ID: "_s) && lines.value(2).size() > 20, qPrintable(all));
        QCOMPARE(lines.value(3), u"▸ summarise/answer (llm.message)"_s);
        QVERIFY2(lines.value(4).startsWith(u"In short:"_s) && lines.value(4).endsWith(u"caffeine."_s), qPrintable(all));
        QCOMPARE(lines.value(5), u"✓ summarise/answer"_s);
        QVERIFY2(lines.value(6).startsWith(u"Finished in "_s), qPrintable(all));
        // The hidden steps (the search, the sub-bot call) show neither start nor end.
        QVERIFY2(!all.contains(u"(bot.invoke)"_s) && !all.contains(u"(search."_s), qPrintable(all));
        QCOMPARE(lines.size(), 8); // and nothing else (the last is empty: the output ends its line)
    }

    void stdoutAloneHoldsOnlyTheText()
    {
        const test::CliRun r = test::runProcess(test::cliProgram(), researchArgs, environment(), test::sourceDir());
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.startsWith(u"In short:"_s) && r.out.endsWith(u"caffeine.\n"_s), qPrintable(r.out));
        QCOMPARE(r.out.count(u'\n'), 1);
        QVERIFY2(r.err.contains(u"Bot: Research assistant"_s) && r.err.contains(u"\n✓ summarise/answer\n"_s),
                 qPrintable(r.err));
        // stderr is not where the text goes: no line break was added to it for the text.
        QVERIFY2(!r.err.contains(u"\n\n"_s), qPrintable(r.err));
    }

    void withoutVerboseOnlyTheText()
    {
        QStringList args = researchArgs;
        args.removeAll(u"-v"_s);
        const QString all = runMerged(args, environment());
        QVERIFY2(all.startsWith(u"In short:"_s) && !all.contains(u"Bot:"_s) && !all.contains(u"▸"_s), qPrintable(all));
    }

    void terminalGetsColourUnlessNoColor()
    {
        const QString script = QStandardPaths::findExecutable(u"script"_s);
        QVERIFY2(!script.isEmpty(), "script(1) (bsdutils) runs invoke-cli on a pseudo-terminal");
        const QStringList scriptArgs{u"-qec"_s, shellLine(researchArgs), u"/dev/null"_s};
        const test::CliRun coloured = test::runProcess(script, scriptArgs, environment(), test::sourceDir());
        QCOMPARE(coloured.exitCode, 0);
        QVERIFY2(coloured.out.contains(u"\x1b[32m✓\x1b[0m summarise/answer"_s), qPrintable(coloured.out));
        QVERIFY2(coloured.out.contains(u"\x1b[36m▸\x1b[0m summarise/answer"_s), qPrintable(coloured.out));

        const test::CliRun plain = test::runProcess(script, scriptArgs, environment({{u"NO_COLOR"_s, u"1"_s}}),
                                                    test::sourceDir());
        QCOMPARE(plain.exitCode, 0);
        QVERIFY2(plain.out.contains(u"✓ summarise/answer"_s), qPrintable(plain.out));
        QVERIFY2(!plain.out.contains(u"\x1b[3"_s) && !plain.out.contains(u"\x1b[1m"_s), qPrintable(plain.out));
    }

    void terminalShowsElapsedTimeWhileWaiting()
    {
        // The live model waits before its first word: the elapsed line counts meanwhile.
        test::OpenAiStubServer server;
        QVERIFY(server.listen());
        test::StubReply reply = test::StubReply::text({u"Done"_s, u" now."_s}, 3, 2);
        reply.holdAfter = 0;
        server.setReply(reply);
        QSignalSpy held(&server, &test::OpenAiStubServer::held);
        QProcess process;
        process.setProcessEnvironment(test::withVariables(
            test::ServerProcess::scratchEnvironment(m_home.filePath(u"live"_s), server.baseUrl()),
            {{u"TERM"_s, u"xterm"_s}, {u"NO_COLOR"_s, u"1"_s}}));
        process.setProcessChannelMode(QProcess::MergedChannels);
        process.start(QStandardPaths::findExecutable(u"script"_s),
                      {u"-qec"_s, shellLine({u"invoke"_s, u"chat"_s, u"-m"_s, u"hi"_s, u"--stream"_s, u"-v"_s}),
                       u"/dev/null"_s});
        QVERIFY(held.wait(60000));
        QByteArray seen;
        QTRY_VERIFY_WITH_TIMEOUT((seen += process.readAll()).contains("\r\x1b[2K… "), 30000);
        QVERIFY2(seen.contains(" s · answer"), seen.constData());
        server.release();
        QVERIFY(process.waitForFinished(60000));
        seen += process.readAll();
        QCOMPARE(process.exitCode(), 0);
        // The live line is gone before the text: the answer starts a clean line.
        const QString shown = QString::fromUtf8(seen);
        QVERIFY2(shown.contains(u"\r\x1b[2KDone now."_s), qPrintable(shown));
        QVERIFY2(shown.contains(u"✓ answer"_s), qPrintable(shown));
    }
};

QTEST_MAIN(TstCliStreamProgress)
#include "tst_cli_streamprogress.moc"
