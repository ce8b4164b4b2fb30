// The status bar's run labels (ui/run/runstatuspanel) show their whole text after a run,
// at the window's default size: the state ("Succeeded", "Failed"), the invocation id, the
// elapsed time and the event count each keep the width of the widest text they show, so
// none is clipped at the moment the run ends (before the status bar is laid out again:
// "Succeed", "10 event(s" before) and the bar does not shift while a run goes. Real window,
// real embedded engine in manual mode (no LLM); the window is rendered to PNG at the
// moment the run ends.
#include "tests/ui/profiledstudio.h"
#include "ui/run/runcontroller.h"
#include "ui/run/runstatuspanel.h"

#include <QtCore/QDir>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtCore/QUuid>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWidgets/QApplication>
#include <QtWidgets/QLabel>

using namespace Qt::StringLiterals;
using namespace invoke;
using namespace invoke::ui;

namespace {

InvokeRequest chat(const MockResponse &answer)
{
    InvokeRequest r;
    r.botKey = u"chat"_s;
    r.messages = {Message::user(u"Is tea a drink?"_s)};
    r.mode = Mode::manual();
    r.manualMocks.insert(u"answer"_s, answer);
    return r;
}

const QStringList kLabels{u"runState"_s, u"invocationId"_s, u"elapsed"_s, u"eventCount"_s};

// Each label whose width or size hint is narrower than its text, as "name: text (width < needed)".
QStringList clipped(const RunStatusPanel *panel)
{
    QStringList out;
    for (const QString &name : kLabels) {
        const auto *label = panel->findChild<QLabel *>(name);
        if (!label) {
            out << name + u": no such label"_s;
            continue;
        }
        const int needed = label->fontMetrics().horizontalAdvance(label->text());
        if (label->width() < needed || label->sizeHint().width() < needed)
            out << u"%1: %2 (width %3, size hint %4 < %5)"_s.arg(name, label->text())
                       .arg(label->width())
                       .arg(label->sizeHint().width())
                       .arg(needed);
    }
    return out;
}

QString screenshotDir()
{
    const QString dir = qEnvironmentVariable("INVOKE_SCREENSHOT_DIR", QDir::tempPath());
    QDir().mkpath(dir);
    return dir;
}

} // namespace

class TstRunStatusBar : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    // Runs `request` in `window`; at the moment the window has shown the run's end (its
    // runFinished, before the event loop runs again) it notes the clipped labels, the
    // panel's width and a screenshot.
    void runAndCheck(MainWindow *window, const InvokeRequest &request, const QString &state, const QString &shot)
    {
        RunStatusPanel *panel = window->runStatus();
        int widthWhileRunning = -1;
        int widthAtEnd = -1;
        QStringList clippedAtEnd;
        QString stateAtEnd;
        const auto started = connect(window->runs(), &RunController::started, this, [&] {
            widthWhileRunning = panel->width();
        });
        const auto ended = connect(window, &MainWindow::runFinished, this, [&] {
            stateAtEnd = panel->stateText();
            widthAtEnd = panel->width();
            clippedAtEnd = clipped(panel);
            QVERIFY(window->grab().save(screenshotDir() + u'/' + shot));
        });
        QSignalSpy finished(window->runs(), &RunController::finished);
        window->runs()->start(request, request.query());
        const bool ran = finished.wait(60000);
        disconnect(started);
        disconnect(ended);
        QVERIFY(ran);
        QCOMPARE(stateAtEnd, state);
        QVERIFY2(clippedAtEnd.isEmpty(), qPrintable(clippedAtEnd.join(u"; "_s)));
        // The bar did not shift: the widths held from the start to the end.
        QCOMPARE(widthAtEnd, widthWhileRunning);
        QCoreApplication::processEvents();
        QVERIFY2(clipped(panel).isEmpty(), qPrintable(clipped(panel).join(u"; "_s)));
        QCOMPARE(panel->width(), widthAtEnd);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        qRegisterMetaType<InvokeResult>();
    }

    void labelsFitTheirTextsAfterARun()
    {
        test::ProfiledStudio studio(m_dir.filePath(u"studio.ini"_s),
                                    u"invoke-tests-statusbar-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces),
                                    m_dir.filePath(u"replay.sqlite"_s), {u":/bots"_s});
        studio.open(); // 1440x900, the window's default size
        MainWindow *window = studio.window.get();
        QVERIFY(QTest::qWaitForWindowExposed(window));

        runAndCheck(window, chat(MockResponse{true, Json{{"content", "Tea is a drink."}}, {}}), u"Succeeded"_s,
                    u"studio-statusbar-succeeded.png"_s);
        if (QTest::currentTestFailed())
            return;
        runAndCheck(window, chat(MockResponse{false, {}, u"the kettle broke"_s}), u"Failed"_s,
                    u"studio-statusbar-failed.png"_s);
        if (QTest::currentTestFailed())
            return;

        // A long count (six digits) fits at once, too.
        RunStatusPanel *panel = window->runStatus();
        const int width = panel->width();
        panel->setEventCount(888'888);
        QVERIFY2(clipped(panel).isEmpty(), qPrintable(clipped(panel).join(u"; "_s)));
        QCOMPARE(panel->width(), width);
    }
};

QTEST_MAIN(TstRunStatusBar)
#include "tst_runstatusbar.moc"
