// The dataset workspace inside the studio window (ui/window/datasetsworkflow): File ▸
// Datasets… (Ctrl+Shift+D) shows its dock; the search preview asks the window's backend
// (a real LocalBackend over the same folder: Backend::searchDataset); a saved dataset is
// listed again in the request's Datasets tab; the window does not close over unsaved
// dataset changes without asking (Cancel keeps it open, Discard closes). Offscreen, real widgets.
//
// The Done-when, all of it in the window (doneWhenTheWholeStoryInTheStudio): New
// Dataset imports a CSV with a bad row (listed by line, nothing written), the row is fixed
// in the table and saved, a question typed in the search preview shows the rows; then
// data-qa is picked in the bot list, the dataset ticked and named in its parameters, a
// message sent from the composer: the embedded engine's run hands the LLM (a stub server)
// exactly the preview's rows, and `invoke-cli datasets search --json` prints the same.
#include "core/backend/localbackend.h"
#include "core/config/secretstore.h"
#include "tests/support/cliprocess.h"
#include "tests/support/openaistubserver.h"
#include "tests/support/serverprocess.h"
#include "ui/datasets/datasetlistmodel.h"
#include "ui/datasets/newdatasetdialog.h"
#include "ui/request/botpicker.h"
#include "ui/request/composer.h"
#include "ui/request/parameterform.h"
#include "ui/request/parametereditor.h"
#include "ui/run/runcontroller.h"
#include "ui/connection/backendprovider.h"
#include "ui/datasets/table/datasettablemodel.h"
#include "ui/datasets/datasetworkspace.h"
#include "ui/datasets/table/datasetviewproxy.h"
#include "ui/datasets/searchpreview.h"
#include "ui/datasets/table/tableeditor.h"
#include "ui/window/datasetsworkflow.h"
#include "ui/window/mainwindow.h"

#include <QtCore/QDir>
#include <QtCore/QPointer>
#include <QtCore/QScopeGuard>
#include <QtCore/QSettings>
#include <QtCore/QTemporaryDir>
#include <QtCore/QTimer>
#include <QtCore/QUuid>
#include <QtGui/QAction>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWidgets/QApplication>
#include <QtWidgets/QDockWidget>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QListWidget>
#include <QtWidgets/QMenu>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QSpinBox>
#include <QtWidgets/QToolButton>
#include <QtWidgets/QTableView>
#include <QtWidgets/QTableWidget>

using namespace Qt::StringLiterals;
using namespace invoke;
using namespace invoke::ui;

namespace {

void answerNextMessageBox(QMessageBox::StandardButton button, bool *asked)
{
    QTimer::singleShot(0, qApp, [button, asked] {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        if (!box) {
            answerNextMessageBox(button, asked);
            return;
        }
        *asked = true;
        box->button(button)->click();
    });
}

QStringList listed(QListWidget *list)
{
    QStringList texts;
    for (int row = 0; row < list->count(); ++row)
        texts.append(list->item(row)->text());
    return texts;
}

// Runs `drive` on the next modal dialog of type T once it shows (from inside its exec()).
template<typename T>
void driveNextDialog(std::function<void(T *)> drive, bool *driven)
{
    QTimer::singleShot(10, qApp, [drive, driven] {
        auto *dialog = qobject_cast<T *>(QApplication::activeModalWidget());
        if (!dialog) {
            driveNextDialog<T>(drive, driven);
            return;
        }
        *driven = true;
        drive(dialog);
    });
}

// Types `text` into a cell of the table as a user does: select, F2, type, Enter.
void typeIntoCell(QTableView *view, const QModelIndex &index, const QString &text)
{
    QApplication::setActiveWindow(view->window());
    view->setFocus();
    view->setCurrentIndex(index);
    view->scrollTo(index);
    QTest::keyClick(view, Qt::Key_F2);
    auto *editor = qobject_cast<QLineEdit *>(QApplication::focusWidget());
    QVERIFY(editor);
    editor->selectAll();
    QTest::keyClicks(editor, text);
    QPointer<QWidget> open(editor);
    QTest::keyClick(editor, Qt::Key_Return);
    QTRY_VERIFY(!open || !open->isVisible());
}

QByteArray read(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestDatasetsWorkflow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void workspaceInTheWindow()
    {
        QTemporaryDir home;
        const QString folder = home.filePath(u"datasets"_s);
        const QString index = home.filePath(u"index.sqlite"_s);
        test::writeFile(QDir(folder).filePath(u"moons.csv"_s), "moon,planet\nTitan,Saturn\nEuropa,Jupiter\n");
        QSettings settings(home.filePath(u"settings.ini"_s), QSettings::IniFormat);
        SecretStore secrets(u"invoke-tests-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces));
        secrets.setTimeoutMs(10000);
        LocalBackend::Options options;
        options.botFolders = {QStringLiteral(INVOKE_SOURCE_DIR) + u"/resources/bots"_s};
        options.replayCacheFile = home.filePath(u"cache.sqlite"_s);
        options.datasetFolders = {folder};
        options.datasetIndexFile = index;
        LocalBackend local(options);
        BackendProvider provider(&local);
        MainWindow window(&provider, &secrets, &settings);
        auto *workflow = new DatasetsWorkflow(&window, {folder}, index);
        window.resize(1400, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        QAction *open = workflow->openAction();
        QCOMPARE(open->shortcut(), QKeySequence(u"Ctrl+Shift+D"_s));
        QVERIFY(window.menu(WindowMenu::File)->actions().contains(open));
        QVERIFY(window.menu(WindowMenu::Panels)->actions().contains(workflow->dock()->toggleViewAction()));
        QVERIFY(!workflow->dock()->isVisible());
        open->trigger();
        QVERIFY(workflow->dock()->isVisible());

        DatasetWorkspace *workspace = workflow->workspace();
        QVERIFY(workspace->openDataset(u"moons"_s));
        QVERIFY(workspace->tableModel()->file()->waitUntilRead(10000));
        // The preview asks the window's backend.
        SearchPreview *preview = workspace->searchPreview();
        QTest::keyClicks(preview->queryField(), u"Titan"_s);
        QTRY_VERIFY(!preview->answer().hits.isEmpty() && !preview->isSearching());
        QCOMPARE(preview->answer().hits.first().id, u"moons.csv:2"_s);

        // A new row, saved: the request's Datasets tab lists the dataset's new size.
        auto *picker = window.findChild<QListWidget *>(u"datasetList"_s);
        QVERIFY(picker);
        QTRY_VERIFY(listed(picker).join(u'\n').contains(u"(moons, 2 row(s))"_s));
        QVERIFY(workspace->tableModel()->insertRows(2, 1));
        QVERIFY(workspace->tableModel()->setData(workspace->tableModel()->index(2, 0), u"Io"_s));
        QVERIFY(workspace->isModified());

        // Closing asks; Cancel keeps the window and the change.
        bool asked = false;
        answerNextMessageBox(QMessageBox::Cancel, &asked);
        QVERIFY(!window.close());
        QVERIFY(asked);
        QVERIFY(window.isVisible());
        QCOMPARE(workspace->tableModel()->cellText(2, 0), u"Io"_s);

        QVERIFY(workspace->save());
        QTRY_VERIFY(listed(picker).join(u'\n').contains(u"(moons, 3 row(s))"_s));
        QVERIFY(!workspace->isModified());
        const QString dir = qEnvironmentVariable("INVOKE_SCREENSHOT_DIR", QDir::tempPath());
        QDir().mkpath(dir);
        QVERIFY(window.grab().save(QDir(dir).filePath(u"studio-datasets-dock.png"_s)));

        QVERIFY(workspace->tableModel()->setData(workspace->tableModel()->index(0, 0), u"Mimas"_s));
        asked = false;
        answerNextMessageBox(QMessageBox::Discard, &asked);
        QVERIFY(window.close());
        QVERIFY(asked);
        QCOMPARE(QFile(QDir(folder).filePath(u"moons.csv"_s)).size(), qint64(QByteArray("moon,planet\nTitan,Saturn\nEuropa,Jupiter\nIo,\n").size()));
    }

    void doneWhenTheWholeStoryInTheStudio()
    {
        QTemporaryDir home;
        const QString folder = home.filePath(u"datasets"_s);
        QVERIFY(QDir().mkpath(folder));
        const QString index = home.filePath(u"index.sqlite"_s);
        test::OpenAiStubServer llm;
        QVERIFY(llm.listen());
        llm.setReply(test::StubReply::text({u"Jupiter, "_s, u"the gas giant [planet-faq.csv:4]."_s}, 200, 8));

        QSettings settings(home.filePath(u"settings.ini"_s), QSettings::IniFormat);
        SecretStore secrets(u"invoke-tests-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces));
        secrets.setTimeoutMs(10000);
        LocalBackend::Options options;
        options.botFolders = {QStringLiteral(INVOKE_SOURCE_DIR) + u"/resources/bots"_s};
        options.replayCacheFile = home.filePath(u"cache.sqlite"_s);
        options.datasetFolders = {folder};
        options.datasetIndexFile = index;
        options.llm = LlmSettings{llm.baseUrl(), u"stub-model"_s, u"sk-test-datasets-0123456789"_s, 60};
        LocalBackend local(options);
        BackendProvider provider(&local);
        MainWindow window(&provider, &secrets, &settings);
        auto *workflow = new DatasetsWorkflow(&window, {folder}, index);
        window.resize(1440, 1000);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QApplication::setActiveWindow(&window);
        workflow->openAction()->trigger();
        DatasetWorkspace *workspace = workflow->workspace();

        // New Dataset: a CSV whose line 4 has a field too many. The dialog lists it and
        // writes nothing; Open in Table to Fix.
        const QString source = home.filePath(u"Planet FAQ.csv"_s);
        test::writeFile(source, "question,answer\n"
                                "Which planet has rings?,Saturn has the brightest rings\n"
                                "Which planet is red?,Mars looks red from iron oxide dust\n"
                                "Which planet is largest?,Jupiter,the gas giant\n"
                                "Which planet is hottest?,Venus because of its thick clouds\n");
        bool driven = false;
        QString badRow;
        driveNextDialog<NewDatasetDialog>(
            [&](NewDatasetDialog *dialog) {
                const auto close = qScopeGuard([dialog] {
                    if (dialog->isVisible()) // a check failed: do not leave the test inside exec()
                        dialog->reject();
                });
                dialog->chooseFile(source);
                QTRY_VERIFY(!dialog->isChecking());
                if (dialog->badRowList()->count() > 0)
                    badRow = dialog->badRowList()->item(0)->text();
                QVERIFY(!dialog->acceptButton()->isEnabled());
                QTest::mouseClick(dialog->fixButton(), Qt::LeftButton);
            },
            &driven);
        workspace->newAction()->trigger();
        QVERIFY(driven);
        QVERIFY2(badRow.startsWith(u"line 4: 3 fields where the header has 2"_s), qPrintable(badRow));
        QVERIFY(QDir(folder).isEmpty());

        // Fix the row in the table and save.
        TableEditor *editor = workspace->tableEditor();
        QVERIFY(workspace->tableModel()->file()->waitUntilRead(10000));
        QVERIFY(editor->nextBadRow());
        const QModelIndex bad = editor->tableView()->currentIndex();
        typeIntoCell(editor->tableView(), editor->view()->index(bad.row(), 1), u"Jupiter, the gas giant"_s);
        editor->saveAction()->trigger();
        const QString saved = QDir(folder).filePath(u"planet-faq.csv"_s);
        QVERIFY2(QFile::exists(saved), qPrintable(workspace->messageLabel()->text()));
        QVERIFY(read(saved).contains("Which planet is largest?,\"Jupiter, the gas giant\"\n"));
        QVERIFY(!workspace->isModified());

        // A question in the search preview, with the limit data-qa uses (its Records: 5).
        SearchPreview *preview = workspace->searchPreview();
        QCOMPARE(preview->dataset(), u"planet-faq"_s);
        preview->limitField()->setValue(5);
        QTest::keyClicks(preview->queryField(), u"Which planet is the gas giant"_s);
        QTRY_VERIFY_WITH_TIMEOUT(!preview->answer().hits.isEmpty() && !preview->isSearching(), 20000);
        QCOMPARE(preview->answer().hits.first().id, u"planet-faq.csv:4"_s);
        QCOMPARE(preview->hitTable()->rowCount(), int(preview->answer().hits.size()));
        const Json previewOutput = preview->answer().output;

        // Run data-qa from the window: pick it, tick the dataset, name it, send a message.
        QTRY_VERIFY_WITH_TIMEOUT(window.botPicker()->selectBot(u"data-qa"_s), 20000);
        QCOMPARE(window.botPicker()->currentKey(), u"data-qa"_s);
        auto *picker = window.findChild<QListWidget *>(u"datasetList"_s);
        QVERIFY(picker);
        QListWidgetItem *ticked = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT([&] {
            for (int row = 0; row < picker->count(); ++row)
                if (picker->item(row)->text().contains(u"(planet-faq, 4 row(s))"_s))
                    ticked = picker->item(row);
            return ticked != nullptr;
        }(), 20000);
        ticked->setCheckState(Qt::Checked);
        // data-qa searches its "dataset" parameter (default solar-system): name the one ticked.
        auto *datasetField = qobject_cast<QLineEdit *>(window.parameterEditor()->form()->fieldWidget(u"dataset"_s));
        QVERIFY(datasetField);
        datasetField->selectAll();
        QTest::keyClicks(datasetField, u"planet-faq"_s);
        QTest::keyClicks(window.composer()->editor(), u"Which planet is the gas giant"_s);
        const auto request = window.currentRequest();
        QVERIFY(request);
        QVERIFY2(request->datasets.contains(u"planet-faq"_s), qPrintable(request->datasets.join(u", "_s)));
        QSignalSpy finished(window.runs(), &RunController::finished);
        QTest::mouseClick(window.composer()->sendButton(), Qt::LeftButton);
        QVERIFY(finished.wait(60000));
        const InvokeResult result = finished.first().first().value<InvokeResult>();
        QVERIFY2(result.success, qPrintable(result.error));

        // The LLM was handed exactly the preview's rows.
        QCOMPARE(llm.requestCount(), 1);
        const QString system = stringField(llm.requests().first().json()["messages"][0], "content");
        QVERIFY2(system.contains(QString::fromUtf8(dumpJson(previewOutput["memories"]))),
                 qPrintable(system + u"\n---\n"_s + QString::fromUtf8(dumpJson(previewOutput))));
        for (const SearchHit &hit : preview->answer().hits)
            QVERIFY2(system.contains(u"\"id\":\"%1\""_s.arg(hit.id)), qPrintable(system));

        // And invoke-cli answers the same search the same.
        const QProcessEnvironment env = test::ServerProcess::scratchEnvironment(home.filePath(u"cli"_s));
        const test::CliRun cli = test::runProcess(test::cliProgram(),
                                                  {u"datasets"_s, u"search"_s, u"planet-faq"_s,
                                                   u"Which planet is the gas giant"_s, u"--limit"_s, u"5"_s, u"--json"_s,
                                                   u"--datasets-dir"_s, folder},
                                                  env);
        QVERIFY2(cli.exitCode == 0, qPrintable(cli.err));
        QVERIFY2(parseJson(cli.out.toUtf8()) == previewOutput, qPrintable(cli.out));

        const QString dir = qEnvironmentVariable("INVOKE_SCREENSHOT_DIR", QDir::tempPath());
        QDir().mkpath(dir);
        QVERIFY(window.grab().save(QDir(dir).filePath(u"studio-datasets-done-when.png"_s)));
    }
};

QTEST_MAIN(TestDatasetsWorkflow)
#include "tst_datasetsworkflow.moc"
