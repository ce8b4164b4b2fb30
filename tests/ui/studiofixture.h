#pragma once
// The studio window on a real LocalBackend, sandboxed: settings in a temporary folder,
// a unique keychain service, the replay cache in the temporary folder. RecordingBackend
// forwards to the LocalBackend and keeps every request, so tests can check what the
// window really sent.
#include "core/backend/localbackend.h"
#include "core/config/secretstore.h"
#include "ui/request/botpicker.h"
#include "ui/window/mainwindow.h"

#include <QtCore/QSettings>
#include <QtCore/QTemporaryDir>
#include <QtCore/QUuid>
#include <QtTest/QTest>
#include <QtWidgets/QAbstractItemView>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QToolBar>
#include <QtWidgets/QTreeView>

#include <memory>

namespace invoke::test {

// No Q_OBJECT: it adds no signals, and the header is not a moc input.
class RecordingBackend : public Backend
{
public:
    explicit RecordingBackend(LocalBackend::Options options) : m_local(std::move(options)) {}

    QString displayName() const override { return m_local.displayName(); }
    void listBots(QObject *context, std::function<void(const BotListing &)> done) override
    {
        m_local.listBots(context, std::move(done));
    }
    void listDatasets(QObject *context, std::function<void(const DatasetListing &)> done) override
    {
        m_local.listDatasets(context, std::move(done));
    }
    void botPlan(const QString &key, QObject *context, std::function<void(const BotPlanResult &)> done) override
    {
        m_local.botPlan(key, context, std::move(done));
    }
    Invocation *invoke(const InvokeRequest &request, QObject *parent) override
    {
        requests << request;
        return m_local.invoke(request, parent);
    }

    LocalBackend &local() { return m_local; }
    QList<InvokeRequest> requests;

private:
    LocalBackend m_local;
};

struct StudioFixture
{
    // `settingsDir` keeps settings across two windows (a restart); empty: a fresh one.
    explicit StudioFixture(const QString &settingsDir = {}, LlmSettings llm = {},
                           QStringList botFolders = {QStringLiteral(":/bots")})
        : settings((settingsDir.isEmpty() ? dir.path() : settingsDir) + QStringLiteral("/studio.ini"),
                   QSettings::IniFormat),
          secrets(QStringLiteral("invoke-studio-test-") + QUuid::createUuid().toString(QUuid::WithoutBraces))
    {
        if (llm.isConfigured())
            llm.saveTo(settings);
        LocalBackend::Options options;
        options.botFolders = botFolders;
        options.replayCacheFile = dir.path() + QStringLiteral("/replay.sqlite");
        options.llm = llm;
        backend = std::make_unique<RecordingBackend>(options);
        secrets.setTimeoutMs(5000);
    }

    ui::MainWindow *open()
    {
        window = std::make_unique<ui::MainWindow>(backend.get(), &secrets, &settings);
        window->resize(1440, 900);
        window->show();
        return window.get();
    }

    QTemporaryDir dir;
    QSettings settings;
    SecretStore secrets;
    std::unique_ptr<RecordingBackend> backend;
    std::unique_ptr<ui::MainWindow> window;
};

// Real input: a click on an item of a view, a bot picked in the picker, or a click on the
// toolbar button of an action.
inline void clickIndex(QAbstractItemView *view, const QModelIndex &index)
{
    view->scrollTo(index);
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->visualRect(index).center());
}

// Waits for the bot list, then picks `key` by typing in the search field and clicking it.
inline void pickBot(ui::MainWindow *window, const QString &key)
{
    ui::BotPicker *picker = window->botPicker();
    QTRY_VERIFY(!picker->listing().bots.isEmpty());
    picker->searchField()->clear();
    QTest::keyClicks(picker->searchField(), key);
    QTreeView *view = picker->listView();
    // The search matches names, keys and descriptions: click the row with that key.
    QModelIndexList rows;
    QTRY_VERIFY((rows = view->model()->match(view->model()->index(0, 1), Qt::DisplayRole, key, 1,
                                             Qt::MatchExactly)).size() == 1);
    clickIndex(view, rows.first().siblingAtColumn(0));
    QCOMPARE(picker->currentKey(), key);
}

inline void clickAction(QMainWindow *window, QAction *action)
{
    auto *toolbar = window->findChild<QToolBar *>(QStringLiteral("mainToolbar"));
    QWidget *button = toolbar ? toolbar->widgetForAction(action) : nullptr;
    QVERIFY2(button, "the action has no toolbar button");
    QTest::mouseClick(button, Qt::LeftButton);
}

} // namespace invoke::test
