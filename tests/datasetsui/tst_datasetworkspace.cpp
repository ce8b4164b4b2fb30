// The dataset workspace as a user drives it (ui/datasets), offscreen with real widgets,
// real files, a real SQLite index and the real invoke-cli. A CSV with a bad row is
// imported (the dialog lists the row by line and writes nothing), the row is fixed in the
// table, saved; a question typed in the search preview shows the rows, and they are
// exactly what `invoke-cli datasets search --json` prints and what invoke-cli's run of
// data-qa hands the LLM (a stub). (The same story run from the studio window, data-qa
// sent from its composer: tests/datasetsui/tst_datasetsworkflow.cpp.) Also: the unsaved-changes guard, the
// sidecar form, a text dataset, the list's index state; every model under
// QAbstractItemModelTester; the workspace rendered to PNG (INVOKE_SCREENSHOT_DIR, else the temp dir).
#include "tests/support/cliprocess.h"
#include "tests/support/openaistubserver.h"
#include "tests/support/serverprocess.h"
#include "ui/datasets/datasetlistmodel.h"
#include "ui/datasets/table/datasettablemodel.h"
#include "ui/datasets/table/datasetviewproxy.h"
#include "ui/datasets/datasetworkspace.h"
#include "ui/datasets/newdatasetdialog.h"
#include "ui/datasets/sidecarform.h"
#include "ui/datasets/table/tableeditor.h"

#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QPointer>
#include <QtCore/QTemporaryDir>
#include <QtCore/QTimer>
#include <QtGui/QAction>
#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QTest>
#include <QtWidgets/QApplication>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QRadioButton>
#include <QtWidgets/QSpinBox>
#include <QtWidgets/QListWidget>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QTableView>
#include <QtWidgets/QTableWidget>

using namespace Qt::StringLiterals;
using namespace invoke;
using namespace invoke::ui;

namespace {

QString screenshotDir()
{
    const QString dir = qEnvironmentVariable("INVOKE_SCREENSHOT_DIR", QDir::tempPath());
    QDir().mkpath(dir);
    return dir;
}

QByteArray read(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Answers the next message box with `button` once it shows.
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

void showActive(QWidget *widget)
{
    widget->show();
    QApplication::setActiveWindow(widget);
    QVERIFY(QTest::qWaitForWindowActive(widget));
}

// Types `text` into a cell of the table as a user does: select, F2, type, Enter.
void typeIntoCell(QTableView *view, const QModelIndex &index, const QString &text)
{
    QApplication::setActiveWindow(view->window()); // a message box may have had it
    view->setFocus();
    view->setCurrentIndex(index);
    view->scrollTo(index);
    QTest::keyClick(view, Qt::Key_F2);
    QWidget *editor = QApplication::focusWidget();
    QVERIFY(qobject_cast<QLineEdit *>(editor));
    static_cast<QLineEdit *>(editor)->selectAll();
    QTest::keyClicks(editor, text);
    QPointer<QWidget> open(editor);
    QTest::keyClick(editor, Qt::Key_Return);
    QTRY_VERIFY(!open || !open->isVisible()); // the delegate commits from the event loop
}

} // namespace

class TestDatasetWorkspace : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        m_home = std::make_unique<QTemporaryDir>();
        m_folder = m_home->filePath(u"datasets"_s);
        QVERIFY(QDir().mkpath(m_folder));
        m_index = m_home->filePath(u"index.sqlite"_s);
    }

    void importFixSaveSearchAndRun()
    {
        // A CSV with a bad row (line 4 has a field too many).
        const QString source = m_home->filePath(u"Planet FAQ.csv"_s);
        test::writeFile(source, "question,answer\n"
                                "Which planet has rings?,Saturn has the brightest rings\n"
                                "Which planet is red?,Mars looks red from iron oxide dust\n"
                                "Which planet is largest?,Jupiter,the gas giant\n"
                                "Which planet is hottest?,Venus because of its thick clouds\n");
        DatasetWorkspace workspace({m_folder}, m_index);
        QAbstractItemModelTester listTester(workspace.datasets(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        workspace.resize(1400, 800);
        showActive(&workspace);

        NewDatasetDialog dialog(workspace.writableFolders(), {}, &workspace);
        dialog.chooseFile(source);
        QCOMPARE(dialog.slugField()->text(), u"planet-faq"_s);
        QTRY_VERIFY(!dialog.isChecking());
        QCOMPARE(dialog.badRowList()->count(), 1);
        QVERIFY2(dialog.badRowList()->item(0)->text().startsWith(u"line 4: 3 fields where the header has 2"_s),
                 qPrintable(dialog.badRowList()->item(0)->text()));
        QCOMPARE(dialog.previewTable()->columnCount(), 2); // the header, and the rows before the bad one
        QCOMPARE(dialog.previewTable()->horizontalHeaderItem(0)->text(), u"question"_s);
        QVERIFY(!dialog.acceptButton()->isEnabled());
        QVERIFY(dialog.fixButton()->isEnabled());
        QVERIFY(QDir(m_folder).isEmpty()); // nothing written
        QTest::mouseClick(dialog.fixButton(), Qt::LeftButton);
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QCOMPARE(dialog.outcome(), NewDatasetDialog::Outcome::FixInTable);
        workspace.takeNewDataset(dialog);

        TableEditor *editor = workspace.tableEditor();
        DatasetTableModel *model = workspace.tableModel();
        QVERIFY(model);
        QAbstractItemModelTester tableTester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester viewTester(editor->view(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(model->file()->waitUntilRead(10000));
        QCOMPARE(model->rowCount(), 4);
        // Save is refused while the bad row is there, and nothing is written.
        editor->saveAction()->trigger();
        QVERIFY2(workspace.messageLabel()->text().contains(u"Planet FAQ.csv:4"_s), qPrintable(workspace.messageLabel()->text()));
        QVERIFY(QDir(m_folder).isEmpty());

        QVERIFY(editor->nextBadRow());
        const QModelIndex bad = editor->tableView()->currentIndex();
        QCOMPARE(editor->view()->headerData(bad.row(), Qt::Vertical).toString(), u"4"_s);
        typeIntoCell(editor->tableView(), editor->view()->index(bad.row(), 1), u"Jupiter, the gas giant"_s);
        QCOMPARE(model->cellText(2, 1), u"Jupiter, the gas giant"_s);
        QVERIFY(model->knownBadRows().isEmpty());
        editor->saveAction()->trigger();
        const QString saved = QDir(m_folder).filePath(u"planet-faq.csv"_s);
        QVERIFY2(QFile::exists(saved), qPrintable(workspace.messageLabel()->text()));
        QCOMPARE(read(saved), QByteArray("question,answer\n"
                                         "Which planet has rings?,Saturn has the brightest rings\n"
                                         "Which planet is red?,Mars looks red from iron oxide dust\n"
                                         "Which planet is largest?,\"Jupiter, the gas giant\"\n"
                                         "Which planet is hottest?,Venus because of its thick clouds\n"));
        QVERIFY(!workspace.isModified());
        QCOMPARE(workspace.openSlug(), u"planet-faq"_s);
        QTRY_COMPARE(workspace.datasets()->data(workspace.datasets()->index(workspace.datasets()->rowOfSlug(u"planet-faq"_s),
                                                                            DatasetListModel::StateColumn)).toString(),
                     u"indexed"_s);

        // The search preview: a question, the rows memory.search hands the bot.
        SearchPreview *preview = workspace.searchPreview();
        QCOMPARE(preview->dataset(), u"planet-faq"_s);
        preview->limitField()->setValue(2);
        QTest::keyClicks(preview->queryField(), u"gas giant Jupiter"_s);
        QTRY_VERIFY(!preview->answer().hits.isEmpty() && !preview->isSearching());
        QCOMPARE(preview->answer().hits.first().id, u"planet-faq.csv:4"_s);
        QVERIFY(preview->answer().hits.first().content.contains(u"Jupiter, the gas giant"_s));
        QCOMPARE(preview->hitTable()->rowCount(), int(preview->answer().hits.size()));
        QVERIFY(preview->answer().hits.size() <= 2);
        // Picking a hit shows its row.
        preview->hitTable()->setCurrentCell(0, 0);
        Q_EMIT preview->hitTable()->cellActivated(0, 0);
        QCOMPARE(editor->view()->mapToSource(editor->tableView()->currentIndex()).row(), 2);

        // The same search from invoke-cli answers the same.
        const QProcessEnvironment env = test::ServerProcess::scratchEnvironment(m_home->filePath(u"cli"_s));
        const test::CliRun cli = test::runProcess(test::cliProgram(),
                                                  {u"datasets"_s, u"search"_s, u"planet-faq"_s, u"gas giant Jupiter"_s,
                                                   u"--limit"_s, u"2"_s, u"--json"_s, u"--datasets-dir"_s, m_folder},
                                                  env);
        QVERIFY2(cli.exitCode == 0, qPrintable(cli.err));
        QVERIFY2(parseJson(cli.out.toUtf8()) == preview->answer().output, qPrintable(cli.out));

        // And a live run of data-qa on it hands the LLM exactly these rows.
        test::OpenAiStubServer llm;
        QVERIFY(llm.listen());
        llm.setReply(test::StubReply::text({u"Jupiter [planet-faq.csv:4]."_s}, 200, 5));
        const test::CliRun run = test::runProcess(
            test::cliProgram(),
            {u"invoke"_s, u"data-qa"_s, u"-m"_s, u"gas giant Jupiter"_s, u"-p"_s, u"dataset=planet-faq"_s, u"-p"_s,
             u"max_results=2"_s, u"--datasets-dir"_s, m_folder},
            test::withVariables(env, {{u"INVOKE_LLM_BASE_URL"_s, llm.baseUrl()},
                                      {u"INVOKE_LLM_MODEL"_s, u"stub-model"_s},
                                      {u"INVOKE_LLM_API_KEY"_s, u"test-key"_s}}));
        QVERIFY2(run.exitCode == 0, qPrintable(run.err + run.out));
        QCOMPARE(llm.requestCount(), 1);
        const QString system = stringField(llm.requests().first().json()["messages"][0], "content");
        for (const SearchHit &hit : preview->answer().hits)
            QVERIFY2(system.contains(u"\"id\":\"%1\""_s.arg(hit.id)), qPrintable(system));
        QVERIFY2(system.contains(QString::fromUtf8(dumpJson(preview->answer().output["memories"]))),
                 qPrintable(system));

        const QString png = QDir(screenshotDir()).filePath(u"dataset-workspace.png"_s);
        QVERIFY(workspace.grab().save(png));
        const QString dialogPng = QDir(screenshotDir()).filePath(u"dataset-import.png"_s);
        QVERIFY(dialog.grab().save(dialogPng));
    }

    void unsavedChangesAreGuarded()
    {
        test::writeFile(QDir(m_folder).filePath(u"alpha.csv"_s), "a,b\n1,2\n");
        test::writeFile(QDir(m_folder).filePath(u"beta.jsonl"_s), "{\"x\":1}\n");
        DatasetWorkspace workspace({m_folder}, m_index);
        showActive(&workspace);
        QVERIFY(workspace.openDataset(u"alpha"_s));
        QVERIFY(workspace.tableModel()->file()->waitUntilRead(10000));
        typeIntoCell(workspace.tableEditor()->tableView(), workspace.tableEditor()->view()->index(0, 0), u"changed"_s);
        QVERIFY(workspace.isModified());

        bool asked = false;
        answerNextMessageBox(QMessageBox::Cancel, &asked);
        QVERIFY(!workspace.openDataset(u"beta"_s));
        QVERIFY(asked);
        QCOMPARE(workspace.openSlug(), u"alpha"_s);
        QCOMPARE(workspace.tableModel()->cellText(0, 0), u"changed"_s);

        // Edit ▸ Undo reaches the table (the undo action), then there is nothing to ask.
        workspace.tableEditor()->undoAction()->trigger();
        QVERIFY(!workspace.isModified());
        QVERIFY(workspace.openDataset(u"beta"_s));
        QCOMPARE(workspace.tableModel()->columnNames(), QStringList());
        QVERIFY(workspace.tableModel()->file()->waitUntilRead(10000));
        QCOMPARE(workspace.tableModel()->columnNames(), QStringList{u"x"_s});

        typeIntoCell(workspace.tableEditor()->tableView(), workspace.tableEditor()->view()->index(0, 0), u"7"_s);
        asked = false;
        answerNextMessageBox(QMessageBox::Save, &asked);
        QVERIFY(workspace.openDataset(u"alpha"_s));
        QVERIFY(asked);
        QCOMPARE(read(QDir(m_folder).filePath(u"beta.jsonl"_s)), QByteArray("{\"x\":7}\n"));
        QCOMPARE(read(QDir(m_folder).filePath(u"alpha.csv"_s)), QByteArray("a,b\n1,2\n"));
    }

    void sidecarAndTextDatasets()
    {
        test::writeFile(QDir(m_folder).filePath(u"notes.md"_s), "# One\nfirst\n\n# Two\nsecond\n");
        test::writeFile(QDir(m_folder).filePath(u"notes.dataset.json"_s), "{\"name\": \"Notes\", \"owner\": \"kept\"}");
        DatasetWorkspace workspace({m_folder}, m_index);
        showActive(&workspace);
        QVERIFY(workspace.openDataset(u"notes"_s));
        QCOMPARE(workspace.textEditor()->toPlainText(), u"# One\nfirst\n\n# Two\nsecond\n"_s);
        QCOMPARE(workspace.sidecar()->nameField()->text(), u"Notes"_s);
        QTest::keyClicks(workspace.textEditor(), u"Zero "_s);
        workspace.sidecar()->descriptionField()->setPlainText(u"Two short sections"_s);
        QVERIFY(workspace.isModified());
        QVERIFY(workspace.save());
        QCOMPARE(read(QDir(m_folder).filePath(u"notes.md"_s)), QByteArray("Zero # One\nfirst\n\n# Two\nsecond\n"));
        const Json sidecar = parseJson(read(QDir(m_folder).filePath(u"notes.dataset.json"_s)));
        QCOMPARE(stringField(sidecar, "description"), u"Two short sections"_s);
        QCOMPARE(stringField(sidecar, "owner"), u"kept"_s);
        QCOMPARE(stringField(sidecar, "name"), u"Notes"_s);
        QVERIFY(!workspace.isModified());
        // The list reads the details from the sidecar.
        QTRY_COMPARE(workspace.datasets()->data(workspace.datasets()->index(workspace.datasets()->rowOfSlug(u"notes"_s),
                                                                            DatasetListModel::NameColumn)).toString(),
                     u"Notes"_s);
    }

    void newEmptyDatasetAndFromRunRows()
    {
        DatasetWorkspace workspace({m_folder}, m_index);
        showActive(&workspace);
        NewDatasetDialog empty(workspace.writableFolders(), {}, &workspace);
        QVERIFY(!empty.runChoice()->isEnabled());
        QTest::keyClicks(empty.slugField(), u"Bad Slug"_s);
        QVERIFY(!empty.acceptButton()->isEnabled());
        empty.slugField()->setText(u"fresh"_s);
        QVERIFY(empty.acceptButton()->isEnabled());
        QTest::mouseClick(empty.acceptButton(), Qt::LeftButton);
        QCOMPARE(empty.outcome(), NewDatasetDialog::Outcome::CreateEmpty);
        workspace.takeNewDataset(empty);
        QCOMPARE(workspace.tableModel()->columnNames(), (QStringList{u"question"_s, u"answer"_s}));
        workspace.tableEditor()->addRowAction()->trigger();
        typeIntoCell(workspace.tableEditor()->tableView(), workspace.tableEditor()->view()->index(0, 0), u"Hi?"_s);
        QVERIFY(workspace.save());
        QCOMPARE(read(QDir(m_folder).filePath(u"fresh.csv"_s)), QByteArray("question,answer\nHi?,\n"));

        const Json output = parseJson(R"({"memories": [{"id": "a:2", "score": 1.5}, {"id": "b:3", "extra": true}]})");
        NewDatasetDialog fromRun(workspace.writableFolders(), [output] { return tableFromJson(output); }, &workspace);
        QVERIFY(fromRun.runChoice()->isEnabled());
        fromRun.runChoice()->setChecked(true);
        fromRun.slugField()->setText(u"hits"_s);
        QCOMPARE(fromRun.previewTable()->rowCount(), 2);
        QTest::mouseClick(fromRun.acceptButton(), Qt::LeftButton);
        workspace.takeNewDataset(fromRun);
        QVERIFY(workspace.save());
        QCOMPARE(read(QDir(m_folder).filePath(u"hits.jsonl"_s)),
                 QByteArray("{\"id\":\"a:2\",\"score\":1.5}\n{\"id\":\"b:3\",\"extra\":true}\n"));
    }

    // The Details form's searched and shown columns: saved, the preview asks again and
    // answers as memory.search now does (core/datasets: one index for both), and so does
    // invoke-cli.
    void sidecarColumnsChangeWhatThePreviewAnswers()
    {
        test::writeFile(QDir(m_folder).filePath(u"moons.csv"_s),
                        "moon,planet,note\nTitan,Saturn,thick haze\nEuropa,Jupiter,ice over an ocean\n");
        DatasetWorkspace workspace({m_folder}, m_index);
        showActive(&workspace);
        QVERIFY(workspace.openDataset(u"moons"_s));
        QVERIFY(workspace.tableModel()->file()->waitUntilRead(10000));
        SearchPreview *preview = workspace.searchPreview();
        QTest::keyClicks(preview->queryField(), u"ocean Saturn"_s);
        QTRY_VERIFY(!preview->answer().hits.isEmpty() && !preview->isSearching());
        QCOMPARE(preview->answer().hits.size(), 2);

        // Search only the note, show only the moon.
        QTableWidget *columns = workspace.sidecar()->columnTable();
        QCOMPARE(columns->rowCount(), 3);
        QCOMPARE(columns->item(0, 0)->text(), u"moon"_s);
        columns->item(2, 1)->setCheckState(Qt::Checked); // note: searched
        columns->item(0, 2)->setCheckState(Qt::Checked); // moon: shown
        QVERIFY(workspace.sidecar()->isModified());
        QVERIFY(workspace.save());
        QTRY_VERIFY(!preview->isSearching() && preview->answer().hits.size() == 1);
        QCOMPARE(preview->answer().hits.first().id, u"moons.csv:3"_s);
        QCOMPARE(preview->answer().hits.first().content, u"moon: Europa"_s);
        QVERIFY(preview->hitTable()->item(0, 3)->text() == u"moon: Europa"_s);

        const QProcessEnvironment env = test::ServerProcess::scratchEnvironment(m_home->filePath(u"cli"_s));
        const test::CliRun cli = test::runProcess(test::cliProgram(),
                                                  {u"datasets"_s, u"search"_s, u"moons"_s, u"ocean Saturn"_s,
                                                   u"--json"_s, u"--datasets-dir"_s, m_folder},
                                                  env);
        QVERIFY2(cli.exitCode == 0, qPrintable(cli.err));
        QVERIFY2(parseJson(cli.out.toUtf8()) == preview->answer().output, qPrintable(cli.out));
    }

    // The studio's --datasets folders (app/studio/main.cpp) are listed after the others,
    // saying where they come from; a slug there overrides one before it, as in the engine.
    void commandLineFoldersAreListed()
    {
        const QString extra = m_home->filePath(u"from command line"_s);
        QVERIFY(QDir().mkpath(extra));
        test::writeFile(QDir(m_folder).filePath(u"shared.csv"_s), "a\nmine\n");
        test::writeFile(QDir(extra).filePath(u"shared.csv"_s), "a\ntheirs\n");
        test::writeFile(QDir(extra).filePath(u"extra.jsonl"_s), "{\"x\": 1}\n");
        DatasetWorkspace workspace({m_folder}, m_index);
        DatasetListModel *list = workspace.datasets();
        QAbstractItemModelTester tester(list, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(list->rowOfSlug(u"extra"_s), -1);
        workspace.setCommandLineFolders({extra});
        QVERIFY(list->rowOfSlug(u"extra"_s) >= 0);
        const auto folderOf = [list](const QString &slug) {
            return list->data(list->index(list->rowOfSlug(slug), DatasetListModel::FolderColumn)).toString();
        };
        const QString expected = QDir::toNativeSeparators(QFileInfo(extra).absoluteFilePath()) + u" (--datasets)"_s;
        QCOMPARE(folderOf(u"extra"_s), expected);
        QCOMPARE(folderOf(u"shared"_s), expected);
        QVERIFY(list->data(list->index(list->rowOfSlug(u"extra"_s), 0), Qt::ToolTipRole).toString().contains(expected));
        QVERIFY(workspace.writableFolders().contains(QFileInfo(extra).absoluteFilePath()));
        QTRY_COMPARE(list->data(list->index(list->rowOfSlug(u"extra"_s), DatasetListModel::StateColumn)).toString(),
                     u"indexed"_s);
        QVERIFY(workspace.openDataset(u"shared"_s));
        QCOMPARE(workspace.openFile(), QDir(QFileInfo(extra).absoluteFilePath()).filePath(u"shared.csv"_s));
    }

private:
    std::unique_ptr<QTemporaryDir> m_home;
    QString m_folder;
    QString m_index;
};

QTEST_MAIN(TestDatasetWorkspace)
#include "tst_datasetworkspace.moc"
