// The step detail view with codeexec steps: the code-calculator example run for real
// (python in the sandbox) through LocalBackend, and a program that failed with stderr.
// Offscreen widgets; the view is read back through its text and its document formats.
#include "core/backend/invocation.h"
#include "core/backend/localbackend.h"
#include "ui/events/eventlistmodel.h"
#include "ui/common/statusstyle.h"
#include "ui/steps/stepdetailview.h"

#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtGui/QFontDatabase>
#include <QtGui/QTextBlock>
#include <QtGui/QTextDocument>
#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWidgets/QPlainTextEdit>

using namespace Qt::StringLiterals;
using namespace invoke;
using invoke::ui::EventListModel;
using invoke::ui::StepDetailView;

namespace {

// The colour of the characters at the start of the first line equal to `line`.
QColor colourOfLine(const QTextDocument *document, const QString &line)
{
    for (QTextBlock block = document->begin(); block.isValid(); block = block.next()) {
        if (block.text() == line && block.begin() != block.end())
            return block.begin().fragment().charFormat().foreground().color();
    }
    return {};
}

} // namespace

class TestStepDetailView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void codeCalculatorStep();
    void failedProgramMarksStderr();
    void otherStepsUnchanged();
};

void TestStepDetailView::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    qRegisterMetaType<InvokeResult>();
    qRegisterMetaType<QList<Event>>();
}

void TestStepDetailView::codeCalculatorStep()
{
    QTemporaryDir cache;
    LocalBackend::Options options;
    options.botFolders = {u":/bots"_s};
    options.replayCacheFile = cache.filePath(u"replay.sqlite"_s);
    LocalBackend backend(options);
    InvokeRequest request;
    request.botKey = u"code-calculator"_s;
    request.messages = {Message::user(u"2 4 9"_s)};
    Invocation *invocation = backend.invoke(request, this);
    invocation->setKeepEvents(true); // the events tab lists them
    QSignalSpy finished(invocation, &Invocation::finished);
    QVERIFY(finished.wait(120000));
    const InvokeResult result = invocation->result();
    QVERIFY2(result.success, qPrintable(result.error));

    EventListModel events;
    QAbstractItemModelTester tester(&events);
    events.addEvents(result.events);
    StepDetailView view(&events);
    view.resize(700, 500);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setStep(result.steps.first());

    QVERIFY2(view.headerText().contains(u"exit code 0"_s), qPrintable(view.headerText()));
    QVERIFY2(view.headerText().contains(u"sandbox: bubblewrap"_s), qPrintable(view.headerText()));
    const QString text = view.outputText();
    QVERIFY2(text.startsWith(u"── stdout ──\n{\"count\": 3, \"sum\": \"15\", \"mean\": \"5\""_s), qPrintable(text));
    QVERIFY(text.contains(u"── stderr ──\n(nothing)\n"_s));
    QVERIFY(text.contains(u"── files written ──\nresult.json ("_s));
    QVERIFY(text.contains(u"── the whole output ──\n{"_s));
    QVERIFY(!text.contains(u"sandbox warning"_s));
    QVERIFY(view.eventsText().contains(u"codeexec.execute"_s));
}

void TestStepDetailView::failedProgramMarksStderr()
{
    EventListModel events;
    StepDetailView view(&events);
    StepRecord step;
    step.path = step.key = u"compute"_s;
    step.actionType = u"codeexec.run"_s;
    step.status = StepStatus::Error;
    step.source = Source::Live;
    step.error = u"codeexec.run: the program exited with code 2:\nValueError: bad"_s;
    step.output = Json{{"output", "half done\n"}, {"error", "Traceback\nValueError: bad\n"}, {"exit_code", 2},
                       {"files", Json::array()}, {"sandbox", "rlimit"}, {"network", "not blocked"},
                       {"timed_out", false}, {"warning", "bubblewrap is not available"}};
    view.setStep(step);

    QVERIFY2(view.headerText().contains(u"exit code 2"_s), qPrintable(view.headerText()));
    QVERIFY(view.headerText().contains(u"sandbox: rlimit (network not blocked)"_s));
    QVERIFY(view.headerText().contains(u"This step failed"_s));
    const QString text = view.outputText();
    QVERIFY2(text.startsWith(u"── stdout ──\nhalf done\n\n── stderr ──\nTraceback\nValueError: bad\n"_s),
             qPrintable(text));
    QVERIFY(text.contains(u"── sandbox warning ──\nbubblewrap is not available\n"_s));

    // stderr is marked in the error colour; stdout is not.
    auto *box = view.findChild<QPlainTextEdit *>(u"stepOutput"_s);
    QVERIFY(box);
    QCOMPARE(box->font().family(), QFontDatabase::systemFont(QFontDatabase::FixedFont).family()); // monospace
    const QColor errorColour = ui::statusStyle(StepStatus::Error, box->palette()).color;
    QCOMPARE(colourOfLine(box->document(), u"ValueError: bad"_s), errorColour);
    QVERIFY(colourOfLine(box->document(), u"half done"_s) != errorColour);

    // A step killed at its timeout says so instead of an exit code.
    step.output["exit_code"] = nullptr;
    step.output["timed_out"] = true;
    view.setStep(step);
    QVERIFY(view.headerText().contains(u"killed at the timeout"_s));
}

void TestStepDetailView::otherStepsUnchanged()
{
    EventListModel events;
    StepDetailView view(&events);
    StepRecord step;
    step.path = step.key = u"answer"_s;
    step.actionType = u"llm.message"_s;
    step.status = StepStatus::Success;
    step.output = Json{{"content", "Hello"}, {"output", "not a program"}};
    view.setStep(step);
    QVERIFY(view.outputText().startsWith(u"Hello\n\n── the whole output ──"_s));
    QVERIFY(!view.headerText().contains(u"exit code"_s));
}

QTEST_MAIN(TestStepDetailView)
#include "tst_stepdetailview.moc"
