#pragma once
// The dataset workspace: the list of datasets (bundled, the user's folder, the added
// folders) with their rows, size and index state; the dataset picked opens beside it, a
// CSV or JSON Lines file as a table (ui/datasets/table/tableeditor.h), a Markdown or text file
// in a text editor, a folder as the file chosen among its files; its details (the sidecar
// form) and the search preview on the right. New Dataset makes one from scratch, from an
// imported file or from the run shown. Nothing unsaved is dropped without asking: opening
// another dataset, or the window closing, asks first (maybeSave).
#include "ui/datasets/searchpreview.h"

#include "core/datasets/datasettable.h"

#include <QtWidgets/QWidget>

class QAction;
class QComboBox;
class QLabel;
class QPlainTextEdit;
class QStackedWidget;
class QTabWidget;
class QTableView;

namespace invoke::ui {

class DatasetListModel;
class DatasetTableModel;
class NewDatasetDialog;
class SidecarForm;
class TableEditor;

class DatasetWorkspace : public QWidget
{
    Q_OBJECT
public:
    // `folders` and `indexFile` as DatasetListModel takes them (empty: the user's).
    explicit DatasetWorkspace(const QStringList &folders = {}, const QString &indexFile = {}, QWidget *parent = nullptr);
    ~DatasetWorkspace() override;

    // The search preview asks this (the window passes its Backend's search); until set,
    // it searches the local index of the workspace's folders.
    void setSearcher(DatasetSearcher searcher);
    // The folders the studio was started with (--datasets): listed, and saying so.
    void setCommandLineFolders(const QStringList &folders);
    // Gives New Dataset the rows of the run shown, when there are some.
    void setRunRows(std::function<std::optional<datasets::DatasetTable>()> runRows);

    DatasetListModel *datasets() const { return m_list; }
    QTableView *datasetView() const { return m_listView; }
    TableEditor *tableEditor() const { return m_table; }
    QPlainTextEdit *textEditor() const { return m_text; }
    SidecarForm *sidecar() const { return m_sidecar; }
    SearchPreview *searchPreview() const { return m_preview; }
    DatasetTableModel *tableModel() const { return m_model; }
    QComboBox *fileChooser() const { return m_files; }
    QAction *newAction() const { return m_new; }
    QAction *refreshAction() const { return m_refresh; }
    QString openFile() const { return m_openFile; }
    QString openSlug() const { return m_openSlug; }
    QLabel *messageLabel() const { return m_message; }

    // Opens the dataset of `slug` (its first file, or `file` of it); false when there is
    // none or the user kept unsaved changes.
    bool openDataset(const QString &slug, const QString &file = {});
    // Opens `file` (not necessarily in a datasets folder) to be saved as `savePath`, with
    // these lines to fix first: an import with bad rows.
    void openForFix(const QString &file, const QString &savePath, const QList<LoadProblem> &badRows);
    // A dataset that has no file yet, or the rows of a run: shown unsaved, written to `savePath` on save.
    void openNew(const QString &savePath, const QStringList &columns, const QList<Json> &rows = {});
    // Saves what is open (the table or the text, and the details); the message says what happened.
    bool save();
    // Unsaved changes: Save, Discard or Cancel. True when it is fine to go on.
    bool maybeSave();
    bool isModified() const;
    // The New Dataset dialog, run modally; what it made is opened.
    void newDataset();
    // What New Dataset does once its dialog was accepted (the tests drive the dialog themselves).
    void takeNewDataset(const NewDatasetDialog &dialog);
    // The folders a new dataset may be written to (the user's, the added ones).
    QStringList writableFolders() const;

Q_SIGNALS:
    void modifiedChanged(bool modified);
    // A dataset was written (the list was refreshed; its index is rebuilt when next searched).
    void datasetSaved(const QString &path);

private:
    void openPath(const QString &file, const QString &slug, bool writable);
    void closeOpen();
    void showMessage(const QString &text, bool error = false);
    void updateTitle();

    DatasetListModel *m_list;
    QTableView *m_listView;
    QComboBox *m_files;
    QStackedWidget *m_editors;
    TableEditor *m_table;
    QPlainTextEdit *m_text;
    QLabel *m_placeholder;
    QLabel *m_title;
    QLabel *m_message;
    QTabWidget *m_side;
    SidecarForm *m_sidecar;
    SearchPreview *m_preview;
    QAction *m_new;
    QAction *m_refresh;
    DatasetTableModel *m_model = nullptr;
    std::function<std::optional<datasets::DatasetTable>()> m_runRows;
    QString m_openFile;
    QString m_openSlug;
    QString m_openDatasetPath;
    bool m_writable = false;
    bool m_opening = false;
};

} // namespace invoke::ui
