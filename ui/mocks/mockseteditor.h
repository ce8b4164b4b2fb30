#pragma once
#include "core/mocks/mockcoverage.h"
#include "core/model/botplan.h"

#include <QtWidgets/QWidget>

#include <functional>
#include <memory>

class QAction;
class QLabel;
class QListView;
class QMenu;
class QSettings;
class QTableView;
class QToolBar;

namespace invoke {
class Backend;
}

namespace invoke::ui {

class Banner;
class MockCoverageModel;
class MockCoveragePane;
class MockEntryView;
class MockKeyListModel;
class MockSetDocument;
class RecentFilesMenu;

// The mock set editor (the "Mock set" tab): the keys with their state, the selected
// key's answer, and how the chosen bot's steps will be answered (coverage). New, Open,
// Save, Save As and recent files; every change is undoable; unsaved changes are never
// dropped without asking. The document here is the one Manual mode runs with.
class MockSetEditor : public QWidget
{
    Q_OBJECT
public:
    explicit MockSetEditor(QSettings *settings, QWidget *parent = nullptr);
    ~MockSetEditor() override;

    MockSetDocument *document() const { return m_document; }
    MockKeyListModel *keyModel() const { return m_keys; }
    MockCoverageModel *coverageModel() const;
    QListView *keyView() const { return m_keyView; }
    QTableView *coverageView() const;
    MockEntryView *entryView() const { return m_entry; }
    Banner *banner() const { return m_banner; }
    QLabel *titleLabel() const { return m_title; }
    RecentFilesMenu *recentMenu() const { return m_recentMenu; }

    QAction *newAction() const { return m_new; }
    QAction *openAction() const { return m_open; }
    QAction *saveAction() const { return m_save; }
    QAction *saveAsAction() const { return m_saveAs; }
    QAction *addKeyAction() const { return m_add; }
    QAction *duplicateAction() const { return m_duplicate; }
    QAction *renameAction() const { return m_rename; }
    QAction *removeAction() const { return m_remove; }
    QAction *undoAction() const { return m_undo; }
    QAction *redoAction() const { return m_redo; }
    // Extra actions (from the window: re-run with mocks) go on the editor's toolbar.
    void addToolbarAction(QAction *action);

    // With unsaved changes, asks Save / Discard / Cancel (a window-modal box named
    // "unsavedChangesBox"); calls `proceed` unless the user cancels or saving fails.
    void whenChangesAreSafe(std::function<void()> proceed);
    // Guarded New and Open; openFile reports failure in the banner.
    void newDocument();
    void openFile(const QString &path);
    bool openFileNow(const QString &path);
    // Save, or Save As for a document without a (writable) file. False when not saved.
    bool save();
    bool saveAs();
    bool saveTo(const QString &path);
    QStringList recentFiles() const;

    // The bot whose steps the coverage lists and whose action types check outputs: its
    // plan is asked of `backend` (the one a run goes to, embedded or a server), and shown
    // when it arrives; an answer for a bot no longer chosen is dropped (MockCoveragePane).
    void setBot(const QString &botKey, Backend *backend);
    // The plan of `botKey` (or why there is none), as Backend::botPlan answers.
    void setPlan(const QString &botKey, const BotPlanResult &result);
    // The plan shown, when it is known.
    const std::optional<BotPlan> &plan() const;
    QList<mocks::StepCoverage> coverage() const;
    QString actionTypeOf(const QString &key) const;
    // The steps of `botKey` nothing in `set` answers ("notes-only (if reached)").
    QStringList uncoveredSteps(const QString &botKey, const MockSet &set) const;

    void selectKey(const QString &key);
    QString currentKey() const;

    // The set Manual mode runs with, unsaved edits included; nullopt with `error` when
    // a key's output is not JSON yet, or there is no mock set at all.
    std::optional<MockSet> mocksForRun(QString *error) const;

Q_SIGNALS:
    // The file, the title or the modified state changed.
    void documentChanged();

private:
    void buildActions();
    void addKey();
    void addKeyFor(const QString &key, const QString &actionType);
    void updateTitle();
    void updateActions();
    void updateHint();
    void showProblem(const QString &text);

    QSettings *m_settings;
    MockSetDocument *m_document;
    MockKeyListModel *m_keys;
    MockCoveragePane *m_coverage;

    Banner *m_banner;
    QLabel *m_title;
    QListView *m_keyView;
    MockEntryView *m_entry;
    QWidget *m_toolbarHost;
    QToolBar *m_toolbar = nullptr;
    RecentFilesMenu *m_recentMenu;
    QAction *m_new, *m_open, *m_save, *m_saveAs, *m_add, *m_duplicate, *m_rename, *m_remove, *m_undo, *m_redo;
};

} // namespace invoke::ui
