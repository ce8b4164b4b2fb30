// End to end: invoke-cli invoke ... --format events --filter EXPR (docs/filters.md), the
// real build/bin/invoke-cli over the bundled research-assistant and its mock set.
#include "tests/support/cliprocess.h"
#include "tests/support/serverprocess.h"
#include "tests/support/testpaths.h"

#include "core/model/json/json.h"

#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace invoke;

class TstCliFilter : public QObject
{
    Q_OBJECT

private:
    test::CliRun invoke(const QStringList &extra)
    {
        const QString key = u"research-assistant"_s;
        QStringList args{u"invoke"_s, key, u"-m"_s, u"tea"_s, u"--mocks"_s,
                         test::sourcePath(u"resources/mocks/%1.mocks.json"_s.arg(key)), u"--format"_s, u"events"_s};
        return test::runProcess(test::cliProgram(), args + extra,
                                test::ServerProcess::scratchEnvironment(m_home.path()), test::sourceDir());
    }

    // The events of a --format events document, or of --stream lines.
    static QList<Json> eventsOf(const test::CliRun &run, bool streamed)
    {
        QList<Json> events;
        if (!streamed) {
            const Json doc = parseJson(run.out.toUtf8(), nullptr, kJsonMaxWireDepth);
            for (const Json &event : doc.value("events", Json::array()))
                events.append(event);
            return events;
        }
        for (const QString &line : run.out.split(u'\n', Qt::SkipEmptyParts))
            events.append(parseJson(line.toUtf8(), nullptr, kJsonMaxWireDepth));
        return events;
    }

    static QString pathOf(const Json &event) { return stringField(event.value("metadata", Json::object()), "path"); }

    QTemporaryDir m_home;
    QList<Json> m_all; // the unfiltered run

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        const test::CliRun all = invoke({});
        QVERIFY2(all.exitCode == 0, qPrintable(all.err));
        m_all = eventsOf(all, false);
        QVERIFY(m_all.size() > 10);
    }

    void filtersTheEventsDocument_data()
    {
        QTest::addColumn<QString>("filter");
        QTest::addColumn<bool>("stream");
        for (const bool stream : {false, true}) {
            const char *how = stream ? "stream" : "document";
            QTest::addRow("%s: step_finished", how) << u"type == \"step_finished\""_s << stream;
            QTest::addRow("%s: nested steps", how) << u"step ^= \"summarise/\""_s << stream;
            QTest::addRow("%s: text or the end", how)
                << u"text matches \"tea\" or type in {\"invocation_finished\"}"_s << stream;
        }
    }
    void filtersTheEventsDocument()
    {
        QFETCH(QString, filter);
        QFETCH(bool, stream);
        const test::CliRun run = invoke(stream ? QStringList{u"--filter"_s, filter, u"--stream"_s}
                                               : QStringList{u"--filter"_s, filter});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const QList<Json> shown = eventsOf(run, stream);
        // The same events the predicate picks from the unfiltered run, in order.
        QList<Json> expected;
        for (const Json &event : m_all) {
            const QString type = stringField(event, "type");
            const Json &payload = event.value("payload", Json());
            const bool keep = filter.startsWith(u"type =="_s) ? type == u"step_finished"_s
                              : filter.startsWith(u"step"_s)
                                  ? pathOf(event).startsWith(u"summarise/"_s)
                                  : (type == u"invocation_finished"_s
                                     || (type == u"message_content"_s && payload.is_string()
                                         && toQString(payload.get<std::string>()).contains(u"tea"_s, Qt::CaseInsensitive)));
            if (keep)
                expected.append(event);
        }
        QVERIFY(!expected.isEmpty());
        QVERIFY(expected.size() < m_all.size());
        QCOMPARE(shown.size(), expected.size());
        for (qsizetype i = 0; i < shown.size(); ++i) {
            QVERIFY(shown.at(i).value("metadata", Json::object()).value("seq", -1)
                    == expected.at(i).value("metadata", Json::object()).value("seq", -2));
            QVERIFY(stringField(shown.at(i), "type") == stringField(expected.at(i), "type"));
        }
    }

    void matchingNothingPrintsAnEmptyList()
    {
        const test::CliRun run = invoke({u"--filter"_s, u"seq > 1000000"_s});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const Json doc = parseJson(run.out.toUtf8());
        QVERIFY(doc.is_object() && doc.contains("events") && doc["events"].empty());
    }

    void unparsableFilterIsAUsageErrorWithACaret()
    {
        const test::CliRun run = invoke({u"--filter"_s, u"step ^= and"_s});
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.out.isEmpty()); // nothing ran
        const QStringList lines = run.err.split(u'\n');
        QVERIFY2(lines.size() >= 3, qPrintable(run.err));
        QVERIFY2(lines.at(0).contains(u"--filter: column 9: expected a \"quoted string\", found \"and\""_s),
                 qPrintable(run.err));
        QCOMPARE(lines.at(1), u"  step ^= and"_s);
        QCOMPARE(lines.at(2).indexOf(u'^'), lines.at(1).indexOf(u"and"_s));
    }

    void filterNeedsTheEventsFormat()
    {
        const test::CliRun run = test::runProcess(
            test::cliProgram(), {u"invoke"_s, u"chat"_s, u"-m"_s, u"hi"_s, u"--filter"_s, u"seq > 1"_s},
            test::ServerProcess::scratchEnvironment(m_home.path()), test::sourceDir());
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(u"--filter selects events; use it with --format events"_s), qPrintable(run.err));
    }

    // A pattern that backtracks without end: stopped by its match limit, said once.
    void costlyRegexIsStoppedAndReported()
    {
        const test::CliRun run = invoke({u"--filter"_s, u"payload matches \"(.*.*)*x$\""_s});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QCOMPARE(run.err.count(u"too costly"_s), 1);
        QVERIFY(parseJson(run.out.toUtf8()).is_object());
    }
};

QTEST_GUILESS_MAIN(TstCliFilter)
#include "tst_cli_filter.moc"
