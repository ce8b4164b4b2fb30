#include "ui/mocks/mockseteditor.h"
#include "ui/common/banner.h"
#include "ui/common/icons.h"
#include "ui/mocks/mockcoveragemodel.h"
#include "ui/mocks/mockcoveragepane.h"
#include "ui/mocks/mockentryview.h"
#include "ui/mocks/mockkeylistmodel.h"
#include "ui/mocks/mocksetdocument.h"
#include "ui/common/recentfilesmenu.h"

#include "core/mocks/mockschema.h"

#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QSettings>
#include <QtGui/QAction>
#include <QtGui/QUndoStack>
#include <QtWidgets/QFileDialog>
#include <QtWidgets/QLabel>
#include <QtWidgets/QListView>
#include <QtWidgets/QMenu>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QSplitter>
#include <QtWidgets/QToolBar>
#include <QtWidgets/QToolButton>
#include <QtWidgets/QVBoxLayout>

using namespace Qt::StringLiterals;

namespace invoke::ui {

MockSetEditor::MockSetEditor(QSettings *settings, QWidget *parent)
    : QWidget(parent), m_settings(settings), m_document(new MockSetDocument(this)),
      m_keys(new MockKeyListModel(m_document, this)), m_coverage(new MockCoveragePane(m_document)),
      m_banner(new Banner(this)), m_title(new QLabel(this)), m_keyView(new QListView),
      m_entry(new MockEntryView(m_document)), m_toolbarHost(new QWidget(this)), m_recentMenu(new RecentFilesMenu(settings, u"mockEditor/recentFiles"_s, tr("Recent mock sets"), this))
{
    setObjectName(u"mockSetEditor"_s);
    buildActions();
    m_title->setObjectName(u"mockSetTitle"_s);
    m_title->setWordWrap(true);
    m_keyView->setObjectName(u"mockKeys"_s);
    m_keyView->setModel(m_keys);
    m_keyView->setEditTriggers(QAbstractItemView::EditKeyPressed | QAbstractItemView::DoubleClicked);
    m_keyView->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_keyView->addActions({m_add, m_duplicate, m_rename, m_remove});
    auto *keys = new QSplitter(Qt::Horizontal);
    keys->setObjectName(u"mockKeysSplitter"_s);
    keys->setChildrenCollapsible(false);
    keys->addWidget(m_keyView);
    keys->addWidget(m_entry);
    keys->setSizes({170, 400});
    auto *parts = new QSplitter(Qt::Vertical);
    parts->setObjectName(u"mockEditorSplitter"_s);
    parts->setChildrenCollapsible(false);
    parts->addWidget(keys);
    parts->addWidget(m_coverage);
    parts->setSizes({420, 220});

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(m_toolbarHost);
    layout->addWidget(m_title);
    layout->addWidget(m_banner);
    layout->addWidget(parts, 1);

    connect(m_keyView->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex &current) {
        m_entry->setRow(current.isValid() ? current.row() : -1);
        updateHint();
        updateActions();
    });
    connect(m_keys, &MockKeyListModel::renameRefused, this, &MockSetEditor::showProblem);
    connect(m_coverage, &MockCoveragePane::stepActivated, this,
            [this](const QString &path, const QString &actionType, const QString &mockKey) {
                if (!mockKey.isEmpty())
                    selectKey(mockKey);
                else
                    addKeyFor(path, actionType);
            });
    connect(m_coverage, &MockCoveragePane::planChanged, this, &MockSetEditor::updateHint);
    connect(m_document, &MockSetDocument::modifiedChanged, this, [this] { updateTitle(); Q_EMIT documentChanged(); });
    connect(m_document, &MockSetDocument::identityChanged, this, [this] { updateTitle(); Q_EMIT documentChanged(); });
    for (auto signal : {&MockSetDocument::entryInserted, &MockSetDocument::entryRemoved, &MockSetDocument::entryChanged})
        connect(m_document, signal, this, &MockSetEditor::updateActions);
    connect(m_document, &MockSetDocument::reset, this, &MockSetEditor::updateActions);
    // A key added or duplicated is selected, so it can be edited at once.
    connect(m_document, &MockSetDocument::entryInserted, this, [this](int row) {
        m_keyView->setCurrentIndex(m_keys->index(row));
    });

    connect(m_recentMenu, &RecentFilesMenu::fileChosen, this, &MockSetEditor::openFile);
    m_document->newDocument();
}

MockSetEditor::~MockSetEditor()
{
    // The document and its undo stack are children, destroyed by ~QWidget after this body,
    // when this is no longer a MockSetEditor; ~QUndoStack clears the stack and signals
    // canUndoChanged, undoTextChanged, cleanChanged (which the document passes on as
    // modifiedChanged), and those reached this editor's lambdas. Cut them here.
    QUndoStack *stack = m_document->undoStack();
    stack->disconnect(m_undo);
    stack->disconnect(m_redo);
    stack->disconnect(this);
    m_document->disconnect(this);
}

void MockSetEditor::buildActions()
{
    auto make = [this](const QString &iconName, const QString &text, const QString &name, const QKeySequence &keys = {}) {
        auto *action = new QAction(iconName.isEmpty() ? QIcon() : icon(iconName), text, this);
        action->setObjectName(name);
        if (!keys.isEmpty()) {
            action->setShortcut(keys);
            action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        }
        addAction(action);
        return action;
    };
    m_new = make(u"new-conversation"_s, tr("New"), u"mockNew"_s);
    m_open = make(u"open"_s, tr("Open…"), u"mockOpen"_s, QKeySequence::Open);
    m_save = make({}, tr("Save"), u"mockSave"_s, QKeySequence::Save);
    m_saveAs = make({}, tr("Save As…"), u"mockSaveAs"_s, QKeySequence::SaveAs);
    m_add = make({}, tr("Add key"), u"mockAdd"_s, QKeySequence::fromString(u"Ctrl+Shift+A"_s));
    m_duplicate = make({}, tr("Duplicate"), u"mockDuplicate"_s, QKeySequence::fromString(u"Ctrl+D"_s));
    m_rename = make({}, tr("Rename"), u"mockRename"_s, Qt::Key_F2);
    m_remove = make({}, tr("Remove"), u"mockRemove"_s, QKeySequence::Delete);
    // Short texts on the toolbar; what would be undone goes in the tooltip.
    QUndoStack *stack = m_document->undoStack();
    m_undo = make({}, tr("Undo"), u"mockUndo"_s, QKeySequence::Undo);
    m_redo = make({}, tr("Redo"), u"mockRedo"_s, QKeySequence::Redo);
    m_undo->setEnabled(false);
    m_redo->setEnabled(false);
    connect(m_undo, &QAction::triggered, stack, &QUndoStack::undo);
    connect(m_redo, &QAction::triggered, stack, &QUndoStack::redo);
    connect(stack, &QUndoStack::canUndoChanged, m_undo, &QAction::setEnabled);
    connect(stack, &QUndoStack::canRedoChanged, m_redo, &QAction::setEnabled);
    connect(stack, &QUndoStack::undoTextChanged, m_undo, [this](const QString &text) { m_undo->setToolTip(tr("Undo: %1").arg(text)); });
    connect(stack, &QUndoStack::redoTextChanged, m_redo, [this](const QString &text) { m_redo->setToolTip(tr("Redo: %1").arg(text)); });
    m_remove->setToolTip(tr("Remove the selected key (undo brings it back)"));
    // Delete removes a key only from the key list, never while typing elsewhere.
    m_remove->setShortcutContext(Qt::WidgetShortcut);
    m_recentMenu->setObjectName(u"mockRecentMenu"_s);

    auto *toolbar = m_toolbar = new QToolBar(m_toolbarHost);
    toolbar->setObjectName(u"mockToolbar"_s);
    toolbar->setIconSize(QSize(16, 16));
    toolbar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    // File operations in one menu, so the key operations and Re-run fit beside them.
    auto *file = new QToolButton(toolbar);
    file->setObjectName(u"mockFileMenuButton"_s);
    file->setText(tr("File"));
    file->setPopupMode(QToolButton::InstantPopup);
    auto *fileMenu = new QMenu(file);
    fileMenu->addAction(m_new);
    fileMenu->addAction(m_open);
    fileMenu->addMenu(m_recentMenu);
    fileMenu->addSeparator();
    fileMenu->addAction(m_save);
    fileMenu->addAction(m_saveAs);
    file->setMenu(fileMenu);
    toolbar->addWidget(file);
    toolbar->addAction(m_save);
    toolbar->addSeparator();
    toolbar->addAction(m_add);
    toolbar->addAction(m_duplicate);
    toolbar->addAction(m_rename);
    toolbar->addAction(m_remove);
    toolbar->addSeparator();
    toolbar->addAction(m_undo);
    toolbar->addAction(m_redo);
    auto *host = new QVBoxLayout(m_toolbarHost);
    host->setContentsMargins(0, 0, 0, 0);
    host->addWidget(toolbar);

    connect(m_new, &QAction::triggered, this, &MockSetEditor::newDocument);
    connect(m_open, &QAction::triggered, this, [this] {
        const QString start = m_document->filePath().isEmpty() || m_document->isReadOnly()
                                  ? QDir::homePath() : QFileInfo(m_document->filePath()).absolutePath();
        const QString path = QFileDialog::getOpenFileName(this, tr("Open a mock set"), start,
                                                          tr("Mock sets (*.mocks.json *.json);;All files (*)"));
        if (!path.isEmpty())
            openFile(path);
    });
    connect(m_save, &QAction::triggered, this, &MockSetEditor::save);
    connect(m_saveAs, &QAction::triggered, this, &MockSetEditor::saveAs);
    connect(m_add, &QAction::triggered, this, &MockSetEditor::addKey);
    connect(m_duplicate, &QAction::triggered, this, [this] { m_document->duplicateKey(m_entry->row()); });
    connect(m_rename, &QAction::triggered, this, [this] {
        if (m_keyView->currentIndex().isValid())
            m_keyView->edit(m_keyView->currentIndex());
    });
    connect(m_remove, &QAction::triggered, this, [this] { m_document->removeKey(m_entry->row()); });
}

void MockSetEditor::addToolbarAction(QAction *action)
{
    m_toolbar->addSeparator();
    m_toolbar->addAction(action);
}

void MockSetEditor::addKey()
{
    // A step of the bot that nothing answers yet is the likeliest key; else a free name.
    for (const mocks::StepCoverage &row : m_coverage->model()->coverage()) {
        if (row.answer == mocks::MockAnswer::Nothing) {
            addKeyFor(row.step.path, row.step.actionType);
            return;
        }
    }
    QString key = tr("new-step");
    for (int n = 2; m_document->rowOf(key) >= 0; ++n)
        key = tr("new-step-%1").arg(n);
    addKeyFor(key, {});
    m_keyView->edit(m_keyView->currentIndex());
}

void MockSetEditor::addKeyFor(const QString &key, const QString &actionType)
{
    const Json example = mocks::exampleOutput(actionType);
    QString error;
    if (!m_document->addKey(key, &error, example.is_null() ? QString() : QString::fromUtf8(dumpJson(example, 2))))
        showProblem(error);
    else
        m_banner->clearMessage();
}

void MockSetEditor::whenChangesAreSafe(std::function<void()> proceed)
{
    if (!m_document->isModified()) {
        proceed();
        return;
    }
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Unsaved mock set"),
                                tr("The mock set “%1” has changes that are not saved.").arg(m_document->displayName()),
                                QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, window());
    box->setObjectName(u"unsavedChangesBox"_s);
    box->setInformativeText(tr("Save them first, discard them, or cancel and keep editing?"));
    box->setDefaultButton(QMessageBox::Save);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(Qt::WindowModal);
    connect(box, &QMessageBox::finished, this, [this, box, proceed = std::move(proceed)] {
        const auto answer = box->standardButton(box->clickedButton());
        if (answer == QMessageBox::Discard || (answer == QMessageBox::Save && save()))
            proceed();
        else
            Q_EMIT documentChanged(); // whoever asked (the mode switch) shows this document again
    });
    box->open();
}

void MockSetEditor::newDocument()
{
    whenChangesAreSafe([this] {
        m_document->newDocument();
        m_banner->clearMessage();
    });
}

void MockSetEditor::openFile(const QString &path)
{
    if (path == m_document->filePath() && !m_document->isModified())
        return;
    whenChangesAreSafe([this, path] { openFileNow(path); });
}

bool MockSetEditor::openFileNow(const QString &path)
{
    QString error;
    if (!m_document->load(path, &error)) {
        showProblem(error);
        Q_EMIT documentChanged(); // whoever asked for the file learns it did not open
        return false;
    }
    m_banner->clearMessage();
    if (!m_document->isReadOnly())
        m_recentMenu->add(path);
    if (m_document->count() > 0)
        m_keyView->setCurrentIndex(m_keys->index(0));
    return true;
}

bool MockSetEditor::save()
{
    if (m_document->filePath().isEmpty() || m_document->isReadOnly())
        return saveAs();
    return saveTo(m_document->filePath());
}

bool MockSetEditor::saveAs()
{
    QString suggestion = m_document->filePath().isEmpty() || m_document->isReadOnly()
                             ? QDir::home().filePath(QFileInfo(m_document->displayName()).completeBaseName().section(u'.', 0, 0)
                                                     + u".mocks.json"_s)
                             : m_document->filePath();
    const QString path = QFileDialog::getSaveFileName(this, tr("Save the mock set"), suggestion,
                                                      tr("Mock sets (*.mocks.json *.json)"));
    return !path.isEmpty() && saveTo(path);
}

bool MockSetEditor::saveTo(const QString &path)
{
    QString error;
    if (!m_document->saveAs(path, &error)) {
        // Nothing typed is lost: the document keeps the text; select the key at fault.
        if (const QList<int> invalid = m_document->invalidRows(); !invalid.isEmpty())
            m_keyView->setCurrentIndex(m_keys->index(invalid.first()));
        showProblem(error);
        return false;
    }
    m_recentMenu->add(path);
    m_banner->showMessage(Banner::Success, tr("Saved to %1").arg(QDir::toNativeSeparators(path)));
    return true;
}

QStringList MockSetEditor::recentFiles() const
{
    return m_recentMenu->files();
}

MockCoverageModel *MockSetEditor::coverageModel() const
{
    return m_coverage->model();
}

QTableView *MockSetEditor::coverageView() const
{
    return m_coverage->view();
}

void MockSetEditor::setBot(const QString &botKey, Backend *backend)
{
    m_coverage->setBot(botKey, backend);
}

void MockSetEditor::setPlan(const QString &botKey, const BotPlanResult &result)
{
    m_coverage->setPlan(botKey, result);
}

const std::optional<BotPlan> &MockSetEditor::plan() const
{
    return m_coverage->plan();
}

QList<mocks::StepCoverage> MockSetEditor::coverage() const
{
    return m_coverage->model()->coverage();
}

QStringList MockSetEditor::uncoveredSteps(const QString &botKey, const MockSet &set) const
{
    return m_coverage->uncoveredSteps(botKey, set);
}

QString MockSetEditor::actionTypeOf(const QString &key) const
{
    return m_coverage->actionTypeOf(key);
}

void MockSetEditor::updateHint()
{
    const QString key = currentKey();
    const QString type = actionTypeOf(key);
    const QString schema = mocks::outputSchemaText(type);
    if (key.isEmpty())
        m_entry->setHint({});
    else if (type.isEmpty())
        m_entry->setHint(tr("“%1” is neither a step of the bot nor an action type the engine knows.").arg(key));
    else
        m_entry->setHint(schema.isEmpty() ? tr("%1: the output can be any JSON.").arg(type)
                                          : tr("%1 answers %2").arg(type, schema));
}

void MockSetEditor::selectKey(const QString &key)
{
    const int row = m_document->rowOf(key);
    if (row >= 0)
        m_keyView->setCurrentIndex(m_keys->index(row));
}

QString MockSetEditor::currentKey() const
{
    return m_entry->row() >= 0 ? m_document->entry(m_entry->row()).key : QString();
}

std::optional<MockSet> MockSetEditor::mocksForRun(QString *error) const
{
    if (m_document->count() == 0 && m_document->filePath().isEmpty()) {
        *error = tr("Manual mode needs a mock set: open one (Mode → Open…, or the Mock set tab), "
                    "use the bot's bundled example, or save a run as a mock set.");
        return std::nullopt;
    }
    QString problem;
    std::optional<MockSet> set = m_document->toMockSet(&problem);
    if (!set)
        *error = tr("The mock set “%1” cannot run yet: %2").arg(m_document->displayName(), problem);
    return set;
}

void MockSetEditor::updateTitle()
{
    const QString name = m_document->displayName();
    QString text = u"<b>%1</b>"_s.arg(name.toHtmlEscaped());
    if (m_document->isModified())
        text += tr(" — unsaved changes (Manual mode runs them as shown)");
    else if (m_document->isReadOnly())
        text += tr(" — bundled example (Save As to keep changes)");
    m_title->setText(text);
    m_title->setToolTip(QDir::toNativeSeparators(m_document->filePath()));
    m_save->setEnabled(m_document->isModified() || m_document->filePath().isEmpty());
}

void MockSetEditor::updateActions()
{
    const bool selected = m_entry->row() >= 0;
    m_duplicate->setEnabled(selected);
    m_rename->setEnabled(selected);
    m_remove->setEnabled(selected);
}

void MockSetEditor::showProblem(const QString &text)
{
    m_banner->showMessage(Banner::Error, text);
}

} // namespace invoke::ui
