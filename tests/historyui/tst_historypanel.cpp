// The History panel and the run comparison (ui/history), on real runs of the embedded
// engine recorded by RunHistory into a real SQLite file: a recorded run appears; search
// by bot, text, outcome and date; reopening gives the same steps the run streamed (the
// step tree fed by the reopened events equals the one fed live); pin and delete; export
// then open the run file; compare two runs selects the first divergence with its word
// diff; an unusable history file says so and why. Models under QAbstractItemModelTester;
// the panel and the comparison are rendered to PNG (INVOKE_SCREENSHOT_DIR, else the temp dir).
#include "core/backend/invocation.h"
#include "core/backend/localbackend.h"
#include "core/history/runhistory.h"
#include "ui/history/historylistmodel.h"
#include "ui/history/historypanel.h"
#include "ui/history/runcompareview.h"
#include "ui/steps/steptreemodel.h"

#include <QtCore/QDir>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWidgets/QApplication>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QTableView>

using namespace Qt::StringLiterals;
using namespace invoke;
using namespace invoke::ui;

namespace {

InvokeRequest chat(const QString &text, const QString &answer)
{
    InvokeRequest r;
    r.botKey = u"chat"_s;
    r.messages = {Message::user(text)};
    r.mode = Mode::manual();
    r.manualMocks.insert(u"answer"_s, MockResponse{true, Json{{"content", toStd(answer)}}, {}});
    return r;
}

QString screenshotDir()
{
    const QString dir = qEnvironmentVariable("INVOKE_SCREENSHOT_DIR", QDir::tempPath());
    QDir().mkpath(dir);
    return dir;
}

// The rows of a step tree: path, status, source, depth-first.
QStringList stepRows(const StepTreeModel &model, const QModelIndex &parent = {})
{
    QStringList rows;
    for (int r = 0; r < model.rowCount(parent); ++r) {
        const QModelIndex index = model.index(r, 0, parent);
        const StepRecord step = model.stepAt(index);
        rows << u"%1 %2 %3"_s.arg(step.path, wireName(step.status), wireName(step.source));
        rows << stepRows(model, index);
    }
    return rows;
}

} // namespace

class TstHistoryPanel : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<LocalBackend> m_backend;
    std::unique_ptr<history::RunHistory> m_history;
    QString m_file;
    QStringList m_ids;               // recorded, oldest first
    QStringList m_liveSteps;         // the step tree of the first run, fed live

    QString record(const InvokeRequest &request, QStringList *liveSteps = nullptr)
    {
        StepTreeModel steps;
        std::unique_ptr<Invocation> invocation(m_backend->invoke(request));
        connect(invocation.get(), &Invocation::eventsArrived, this, [&](const QList<Event> &batch) {
            steps.addEvents(batch);
        });
        QSignalSpy recorded(m_history.get(), &history::RunHistory::runRecorded);
        m_history->record(invocation.get(), request, {u"Embedded"_s, {}, m_backend.get()});
        if (!QTest::qWaitFor([&] { return invocation->isFinished(); }, 60000))
            return {};
        if (!QTest::qWaitFor([&] { return recorded.size() == 1; }, 60000))
            return {};
        m_history->flush();
        if (liveSteps)
            *liveSteps = stepRows(steps);
        return invocation->result().invocationId;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        LocalBackend::Options o;
        o.botFolders = {u":/bots"_s};
        o.replayCacheFile = m_dir.filePath(u"replay.sqlite"_s);
        o.datasetFolders = {u":/datasets"_s};
        o.datasetIndexFile = m_dir.filePath(u"index.sqlite"_s);
        m_backend = std::make_unique<LocalBackend>(o);
        m_file = m_dir.filePath(u"history.sqlite"_s);
        m_history = std::make_unique<history::RunHistory>(history::RunHistoryOptions{m_file});
        m_ids << record(chat(u"Is tea a drink?"_s, u"Tea is a drink made from leaves."_s), &m_liveSteps);
        m_ids << record(chat(u"Is tea a drink?"_s, u"Tea is a hot drink made from dried leaves."_s));
        InvokeRequest research;
        research.botKey = u"research-assistant"_s;
        research.messages = {Message::user(u"coffee"_s)};
        research.mode = Mode::manual(); // no mocks: fails, naming the step
        m_ids << record(research);
        for (const QString &id : std::as_const(m_ids))
            QVERIFY(!id.isEmpty());
    }

    void recordedRunsAppearAndSearch()
    {
        HistoryPanel panel(m_file);
        QAbstractItemModelTester tester(panel.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY2(panel.unavailableReason().isEmpty(), qPrintable(panel.unavailableReason()));
        QCOMPARE(panel.model()->rowCount(), 3);
        // Newest first.
        QCOMPARE(panel.model()->index(0, 0).data(HistoryListModel::InvocationIdRole).toString(), m_ids.at(2));
        QCOMPARE(panel.model()->index(0, HistoryListModel::Outcome).data().toString(), u"failed"_s);
        QCOMPARE(panel.model()->index(1, HistoryListModel::Mode).data().toString(), u"manual"_s);
        QCOMPARE(panel.model()->index(1, HistoryListModel::Bot).data().toString(), u"Chat (chat)"_s);

        // Typing in the bot field searches.
        auto *bot = panel.findChild<QLineEdit *>(u"historyBot"_s);
        QTest::keyClicks(bot, u"chat"_s);
        QCOMPARE(panel.model()->rowCount(), 2);
        bot->clear();
        history::HistoryQuery q;
        q.text = u"hot drink"_s;
        panel.setQuery(q);
        QCOMPARE(panel.model()->rowCount(), 1);
        QCOMPARE(panel.model()->index(0, 0).data(HistoryListModel::InvocationIdRole).toString(), m_ids.at(1));
        q = {};
        q.outcome = history::Outcome::Failed;
        panel.setQuery(q);
        QCOMPARE(panel.model()->rowCount(), 1);
        q = {};
        q.from = QDateTime::currentDateTimeUtc().addDays(1);
        panel.setQuery(q);
        QCOMPARE(panel.model()->rowCount(), 0);
        q.from = QDateTime::currentDateTimeUtc().addDays(-1);
        q.to = QDateTime::currentDateTimeUtc().addDays(1);
        panel.setQuery(q);
        QCOMPARE(panel.model()->rowCount(), 3);

        panel.resize(900, 320);
        panel.select({m_ids.at(1)});
        QVERIFY(panel.grab().save(screenshotDir() + u"/history-panel.png"_s));
    }

    void reopenShowsTheSameSteps()
    {
        HistoryPanel panel(m_file);
        QSignalSpy reopened(&panel, &HistoryPanel::reopenRequested);
        panel.select({m_ids.at(0)});
        QVERIFY(panel.reopenSelected());
        QCOMPARE(reopened.size(), 1);
        const auto record = reopened.first().first().value<history::RunRecord>();
        StepTreeModel steps;
        QAbstractItemModelTester tester(&steps, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QList<Event> list;
        for (const history::TimedEvent &e : record.events)
            list.append(e.event);
        steps.addEvents(list);
        QCOMPARE(stepRows(steps), m_liveSteps);
        QCOMPARE(record.result().visibleText(), u"Tea is a drink made from leaves."_s);
    }

    void pinDeleteExportOpen()
    {
        HistoryPanel panel(m_file);
        QAbstractItemModelTester tester(panel.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        panel.select({m_ids.at(2)});
        QVERIFY(panel.togglePinSelected());
        QCOMPARE(panel.model()->index(0, HistoryListModel::Pinned).data(HistoryListModel::PinnedRole).toBool(), true);
        HistoryPanel again(m_file);
        QCOMPARE(again.model()->index(0, 0).data(HistoryListModel::PinnedRole).toBool(), true);
        QVERIFY(panel.togglePinSelected());
        QCOMPARE(panel.model()->index(0, 0).data(HistoryListModel::PinnedRole).toBool(), false);

        const QString runFile = m_dir.filePath(u"kept.invokerun"_s);
        panel.select({m_ids.at(1)});
        QVERIFY2(panel.exportSelected(runFile), qPrintable(panel.lastMessage()));
        QSignalSpy reopened(&panel, &HistoryPanel::runFileOpened);
        QVERIFY(panel.openRunFile(runFile));
        QCOMPARE(reopened.first().first().value<history::RunRecord>().summary.invocationId, m_ids.at(1));
        QFile broken(m_dir.filePath(u"broken.invokerun"_s));
        QVERIFY(broken.open(QIODevice::WriteOnly));
        broken.write("not a run file");
        broken.close();
        QVERIFY(!panel.openRunFile(broken.fileName()));
        QVERIFY2(panel.lastMessage().contains(u"broken.invokerun"_s), qPrintable(panel.lastMessage()));

        // Deleting the failed run leaves the two chat runs.
        const QString extra = record(chat(u"delete me"_s, u"gone"_s));
        panel.refresh();
        QCOMPARE(panel.model()->rowCount(), 4);
        panel.select({extra});
        QVERIFY(panel.deleteSelected());
        QCOMPARE(panel.model()->rowCount(), 3);
        QCOMPARE(panel.model()->rowOf(extra), -1);
    }

    void compareSelectsTheFirstDivergence()
    {
        HistoryPanel panel(m_file);
        QSignalSpy compared(&panel, &HistoryPanel::compareRequested);
        panel.select({m_ids.at(0), m_ids.at(1)});
        QVERIFY(panel.compareSelected());
        const auto a = compared.first().at(0).value<history::RunRecord>();
        const auto b = compared.first().at(1).value<history::RunRecord>();
        QCOMPARE(a.summary.invocationId, m_ids.at(0)); // the older one is A
        RunCompareView view;
        QAbstractItemModelTester tester(view.stepsView()->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        view.compare(a, b);
        QCOMPARE(view.comparison().firstDivergence.value_or(QString()), u"answer"_s);
        QCOMPARE(view.selectedPath(), u"answer"_s);
        QVERIFY2(view.outputDiffText().contains(u"hot"_s) && view.outputDiffText().contains(u"dried"_s),
                 qPrintable(view.outputDiffText()));
        QVERIFY(view.resultDiffText().contains(u"leaves"_s));
        const QString html = RunCompareView::diffHtml(history::diffWords(u"a b c"_s, u"a x c"_s));
        QVERIFY(html.contains(u"line-through;\">b "_s));
        QVERIFY(html.contains(u"underline;\">x "_s));
        view.resize(900, 480);
        QVERIFY(view.grab().save(screenshotDir() + u"/history-compare.png"_s));

        // The same run twice: no divergence, the first row selected.
        view.compare(a, a);
        QVERIFY(!view.comparison().firstDivergence);
        QCOMPARE(view.selectedPath(), u"answer"_s);
    }

    void unavailableHistorySaysWhy()
    {
        const QString damaged = m_dir.filePath(u"damaged.sqlite"_s);
        QFile file(damaged);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray(8192, 'x'));
        file.close();
        HistoryPanel panel(damaged);
        QVERIFY(!panel.unavailableReason().isEmpty());
        QCOMPARE(panel.model()->rowCount(), 0);
        QVERIFY(!panel.findChild<QWidget *>(u"historyReopen"_s)->isEnabled());
        panel.resize(900, 200);
        QVERIFY(panel.grab().save(screenshotDir() + u"/history-unavailable.png"_s));
    }
};

QTEST_MAIN(TstHistoryPanel)
#include "tst_historypanel.moc"
