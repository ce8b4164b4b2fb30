// The dataset workspace inside the studio window (ui/window/datasetsworkflow): File ▸
// Datasets… (Ctrl+Shift+D) shows its dock; the search preview asks the window's backend
// (a real LocalBackend over the same folder: Backend::searchDataset); a saved dataset is
// listed again in the request's Datasets tab; the window does not close over unsaved
// dataset changes without asking (Cancel keeps it open, Discard closes). Offscreen, real widgets.
#include "core/backend/localbackend.h"
#include "core/config/secretstore.h"
#include "tests/support/cliprocess.h"
#include "ui/connection/backendprovider.h"
#include "ui/datasets/datasettablemodel.h"
#include "ui/datasets/datasetworkspace.h"
#include "ui/datasets/datasetviewproxy.h"
#include "ui/datasets/searchpreview.h"
#include "ui/datasets/tableeditor.h"
#include "ui/window/datasetsworkflow.h"
#include "ui/window/mainwindow.h"

#include <QtCore/QDir>
#include <QtCore/QSettings>
#include <QtCore/QTemporaryDir>
#include <QtCore/QTimer>
#include <QtCore/QUuid>
#include <QtGui/QAction>
#include <QtTest/QTest>
#include <QtWidgets/QApplication>
#include <QtWidgets/QDockWidget>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QListWidget>
#include <QtWidgets/QMenu>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QPushButton>
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
};

QTEST_MAIN(TestDatasetsWorkflow)
#include "tst_datasetsworkflow.moc"
