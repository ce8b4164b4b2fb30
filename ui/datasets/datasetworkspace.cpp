#include "ui/datasets/datasetworkspace.h"
#include "ui/datasets/datasetlistmodel.h"
#include "ui/datasets/table/datasettablemodel.h"
#include "ui/datasets/newdatasetdialog.h"
#include "ui/datasets/sidecarform.h"
#include "ui/datasets/table/tableeditor.h"

#include "core/config/paths.h"
#include "core/datasets/datasetcatalog.h"

#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QSaveFile>
#include <QtCore/QStringDecoder>
#include <QtGui/QAction>
#include <QtGui/QTextBlock>
#include <QtGui/QUndoStack>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QSplitter>
#include <QtWidgets/QStackedWidget>
#include <QtWidgets/QTabWidget>
#include <QtWidgets/QTableView>
#include <QtWidgets/QToolBar>
#include <QtWidgets/QVBoxLayout>

using namespace Qt::StringLiterals;

namespace invoke::ui {

DatasetWorkspace::DatasetWorkspace(const QStringList &folders, const QString &indexFile, QWidget *parent)
    : QWidget(parent), m_list(new DatasetListModel(folders, indexFile, this)), m_listView(new QTableView(this)),
      m_files(new QComboBox(this)), m_editors(new QStackedWidget(this)), m_table(new TableEditor(this)),
      m_text(new QPlainTextEdit(this)), m_placeholder(new QLabel(this)), m_title(new QLabel(this)),
      m_message(new QLabel(this)), m_side(new QTabWidget(this)), m_sidecar(new SidecarForm(this)),
      m_preview(new SearchPreview(this))
{
    setObjectName(u"datasetWorkspace"_s);
    m_listView->setObjectName(u"datasetListView"_s);
    m_files->setObjectName(u"datasetFileChooser"_s);
    m_text->setObjectName(u"datasetTextEditor"_s);
    m_message->setObjectName(u"datasetWorkspaceMessage"_s);
    m_listView->setModel(m_list);
    m_listView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_listView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_listView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_listView->verticalHeader()->hide();
    m_listView->verticalHeader()->setDefaultSectionSize(22);
    m_listView->horizontalHeader()->setStretchLastSection(true);
    m_listView->setColumnHidden(DatasetListModel::SlugColumn, true);
    m_listView->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_listView->horizontalHeader()->setSectionResizeMode(DatasetListModel::FolderColumn, QHeaderView::Stretch);
    m_listView->setWordWrap(false);
    m_listView->setTextElideMode(Qt::ElideMiddle); // a long folder keeps its end in sight
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setText(tr("Pick a dataset to open it, or make a new one."));
    m_placeholder->setEnabled(false);
    m_text->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_editors->addWidget(m_placeholder);
    m_editors->addWidget(m_table);
    m_editors->addWidget(m_text);
    m_side->addTab(m_preview, tr("Search Preview"));
    m_side->addTab(m_sidecar, tr("Details"));
    m_preview->setSearcher(localDatasetSearcher(m_list->folders(), m_list->indexFile()));

    auto *bar = new QToolBar(this);
    m_new = bar->addAction(tr("New Dataset…"));
    m_new->setObjectName(u"newDatasetAction"_s);
    m_refresh = bar->addAction(tr("Refresh"));
    m_refresh->setObjectName(u"refreshDatasetsAction"_s);
    m_refresh->setToolTip(tr("Scan the datasets folders again and index what changed"));
    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(bar);
    leftLayout->addWidget(m_listView, 1);

    auto *center = new QWidget(this);
    auto *head = new QHBoxLayout;
    head->addWidget(m_title, 1);
    head->addWidget(m_files);
    auto *centerLayout = new QVBoxLayout(center);
    centerLayout->setContentsMargins(0, 0, 0, 0);
    centerLayout->addLayout(head);
    centerLayout->addWidget(m_editors, 1);
    centerLayout->addWidget(m_message);

    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(left);
    split->addWidget(center);
    split->addWidget(m_side);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 5);
    split->setStretchFactor(2, 3);
    split->setSizes({380, 640, 380});
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(split);

    connect(m_new, &QAction::triggered, this, &DatasetWorkspace::newDataset);
    connect(m_refresh, &QAction::triggered, m_list, &DatasetListModel::refresh);
    connect(m_listView, &QTableView::activated, this, [this](const QModelIndex &index) {
        if (const auto *source = m_list->source(index.row()))
            openDataset(source->slug);
    });
    connect(m_listView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                const auto *source = m_list->source(current.row());
                if (source && !m_opening && source->slug != m_openSlug && !openDataset(source->slug)) {
                    // Kept the unsaved dataset: the list shows it again.
                    const QSignalBlocker block(m_listView->selectionModel());
                    m_listView->setCurrentIndex(m_list->index(m_list->rowOfSlug(m_openSlug), 0));
                }
            });
    connect(m_files, &QComboBox::activated, this, [this] {
        const QString file = m_files->currentData().toString();
        if (file != m_openFile && !openDataset(m_openSlug, file)) {
            const QSignalBlocker block(m_files);
            m_files->setCurrentIndex(m_files->findData(m_openFile));
        }
    });
    connect(m_table, &TableEditor::saveRequested, this, &DatasetWorkspace::save);
    connect(m_text->document(), &QTextDocument::modificationChanged, this, [this] {
        updateTitle();
        Q_EMIT modifiedChanged(isModified());
    });
    connect(m_sidecar, &SidecarForm::modifiedChanged, this, [this] {
        updateTitle();
        Q_EMIT modifiedChanged(isModified());
    });
    connect(m_sidecar, &SidecarForm::saved, this, [this] {
        m_list->refresh();
        // New searched or shown columns change what a search answers: ask again (the
        // search indexes the dataset anew first, as a run would).
        if (!m_preview->queryField()->text().trimmed().isEmpty())
            m_preview->search();
    });
    connect(m_preview, &SearchPreview::hitActivated, this, [this](const QString &file, int line) {
        // A hit of a folder dataset names its file inside the folder.
        if (m_openDatasetPath != m_openFile && !file.isEmpty()) {
            const QString path = QDir(m_openDatasetPath).filePath(file);
            if (path != m_openFile && !openDataset(m_openSlug, path))
                return;
        }
        if (m_editors->currentWidget() == m_table && !m_table->showLine(line))
            showMessage(tr("Line %1 is not a row of the table as it is now (saved since the index was built?).").arg(line));
        else if (m_editors->currentWidget() == m_text) {
            QTextCursor cursor(m_text->document()->findBlockByNumber(line - 1));
            m_text->setTextCursor(cursor);
            m_text->centerCursor();
        }
    });
    m_list->refresh();
    closeOpen();
}

DatasetWorkspace::~DatasetWorkspace()
{
    m_table->setModel(nullptr);
}

void DatasetWorkspace::setSearcher(DatasetSearcher searcher)
{
    m_preview->setSearcher(std::move(searcher));
}

void DatasetWorkspace::setRunRows(std::function<std::optional<datasets::DatasetTable>()> runRows)
{
    m_runRows = std::move(runRows);
}

void DatasetWorkspace::setCommandLineFolders(const QStringList &folders)
{
    if (!folders.isEmpty())
        m_list->setCommandLineFolders(folders);
}

QStringList DatasetWorkspace::writableFolders() const
{
    QStringList folders;
    for (const QString &folder : m_list->folders())
        if (!folder.startsWith(u':'))
            folders.append(folder);
    return folders;
}

bool DatasetWorkspace::isModified() const
{
    return (m_model && m_model->isModified()) || m_text->document()->isModified() || m_sidecar->isModified();
}

bool DatasetWorkspace::maybeSave()
{
    if (!isModified())
        return true;
    const auto answer = QMessageBox::question(
        this, tr("Unsaved Dataset"), tr("%1 has changes that are not saved. Save them?").arg(m_title->text()),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Cancel)
        return false;
    if (answer == QMessageBox::Save)
        return save();
    return true;
}

void DatasetWorkspace::closeOpen()
{
    m_table->setModel(nullptr);
    delete m_model;
    m_model = nullptr;
    m_text->clear();
    m_text->document()->setModified(false);
    m_openFile.clear();
    m_openSlug.clear();
    m_openDatasetPath.clear();
    m_files->clear();
    m_files->hide();
    m_editors->setCurrentWidget(m_placeholder);
    m_sidecar->setEnabled(false);
    m_preview->setDataset({});
    m_message->clear();
    updateTitle();
}

bool DatasetWorkspace::openDataset(const QString &slug, const QString &file)
{
    const int row = m_list->rowOfSlug(slug);
    const datasets::DatasetSource *source = m_list->source(row);
    if (!source)
        return false;
    if (!maybeSave())
        return false;
    const datasets::DatasetSource chosen = *source; // the list may refresh below
    const bool writable = m_list->isWritable(chosen);
    m_opening = true;
    closeOpen();
    m_openSlug = chosen.slug;
    m_openDatasetPath = chosen.path;
    if (chosen.files.size() > 1 || chosen.files.value(0) != chosen.path) {
        for (const QString &f : chosen.files)
            m_files->addItem(chosen.relativeName(f), f);
        m_files->show();
    }
    const QString path = file.isEmpty() ? chosen.files.value(0) : file;
    m_files->setCurrentIndex(m_files->findData(path));
    openPath(path, chosen.slug, writable);
    m_listView->setCurrentIndex(m_list->index(row, 0));
    m_sidecar->load(chosen.path, m_model ? m_model->columnNames() : QStringList(), writable);
    if (m_model) // the columns of a CSV file arrive with its first rows
        connect(m_model, &QAbstractItemModel::columnsInserted, m_sidecar, [this] {
            if (!m_sidecar->isModified())
                m_sidecar->load(m_openDatasetPath, m_model->columnNames(), m_list->isWritable(*m_list->source(
                                                                               m_list->rowOfSlug(m_openSlug))));
        });
    m_preview->setDataset(chosen.slug);
    m_opening = false;
    updateTitle();
    return true;
}

void DatasetWorkspace::openPath(const QString &file, const QString &slug, bool writable)
{
    Q_UNUSED(slug);
    m_openFile = file;
    if (TableFile::isTableFile(file)) {
        m_model = new DatasetTableModel(file, this);
        if (!writable) // a bundled dataset: saving writes the user's copy, which overrides it
            m_model->setSavePath(QDir(paths::userDatasets()).filePath(QFileInfo(file).fileName()), false);
        connect(m_model, &DatasetTableModel::modifiedChanged, this, [this] {
            updateTitle();
            Q_EMIT modifiedChanged(isModified());
        });
        m_table->setModel(m_model);
        m_editors->setCurrentWidget(m_table);
        if (!writable)
            showMessage(tr("A bundled dataset: saving writes your copy into your datasets folder, where it overrides this one."));
        return;
    }
    QFile in(file);
    if (!in.open(QIODevice::ReadOnly)) {
        showMessage(tr("%1: cannot read the file: %2").arg(file, in.errorString()), true);
        return;
    }
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString text = decoder.decode(in.readAll());
    if (decoder.hasError()) {
        showMessage(tr("%1 is not UTF-8 text; it is not opened for editing.").arg(file), true);
        return;
    }
    m_text->setPlainText(text);
    m_text->setReadOnly(!writable);
    m_text->document()->setModified(false);
    m_editors->setCurrentWidget(m_text);
    if (!writable)
        showMessage(tr("A bundled dataset: read only."));
}

void DatasetWorkspace::openForFix(const QString &file, const QString &savePath, const QList<LoadProblem> &badRows)
{
    if (!maybeSave())
        return;
    closeOpen();
    m_openSlug = datasets::DatasetCatalog::slugFor(QFileInfo(savePath).completeBaseName());
    m_openFile = file;
    m_model = new DatasetTableModel(file, this);
    m_model->setSavePath(savePath, true);
    m_model->setRequiredFixes(badRows);
    connect(m_model, &DatasetTableModel::modifiedChanged, this, [this] {
        updateTitle();
        Q_EMIT modifiedChanged(isModified());
    });
    m_table->setModel(m_model);
    m_editors->setCurrentWidget(m_table);
    showMessage(tr("%n row(s) of %1 do not read (red). Fix or remove each, then save: the dataset is written to %2.",
                   nullptr, int(badRows.size())).arg(QFileInfo(file).fileName(), savePath));
    updateTitle();
}

void DatasetWorkspace::openNew(const QString &savePath, const QStringList &columns, const QList<Json> &rows)
{
    if (!maybeSave())
        return;
    closeOpen();
    m_openSlug = datasets::DatasetCatalog::slugFor(QFileInfo(savePath).completeBaseName());
    m_openFile = savePath;
    m_model = new DatasetTableModel(savePath, columns, this);
    m_model->setInitialRows(rows);
    connect(m_model, &DatasetTableModel::modifiedChanged, this, [this] {
        updateTitle();
        Q_EMIT modifiedChanged(isModified());
    });
    m_table->setModel(m_model);
    m_editors->setCurrentWidget(m_table);
    showMessage(tr("A new dataset: add rows, then save to write %1.").arg(savePath));
    updateTitle();
}

bool DatasetWorkspace::save()
{
    QString error;
    bool wrote = false;
    QString written;
    if (m_model && m_model->isModified()) {
        QDir().mkpath(QFileInfo(m_model->savePath()).absolutePath());
        if (!m_model->save(&error)) {
            showMessage(error, true);
            return false;
        }
        wrote = true;
        written = m_model->savePath();
        m_openFile = written;
    }
    if (m_editors->currentWidget() == m_text && m_text->document()->isModified()) {
        QSaveFile out(m_openFile);
        const QByteArray bytes = m_text->toPlainText().toUtf8();
        if (!out.open(QIODevice::WriteOnly) || out.write(bytes) != bytes.size() || !out.commit()) {
            showMessage(tr("cannot write %1: %2").arg(m_openFile, out.errorString()), true);
            return false;
        }
        m_text->document()->setModified(false);
        wrote = true;
        written = m_openFile;
    }
    if (m_sidecar->isEnabled() && m_sidecar->isModified() && !m_sidecar->save(&error)) {
        showMessage(error, true);
        return false;
    }
    if (wrote) {
        showMessage(tr("Saved %1. Its index is rebuilt when it is next searched.").arg(written));
        m_list->refresh();
        // A new or imported dataset is now in the list: follow it there.
        const int row = m_list->rowOfPath(written);
        if (const auto *source = m_list->source(row)) {
            m_opening = true;
            m_openSlug = source->slug;
            m_openDatasetPath = source->path;
            m_listView->setCurrentIndex(m_list->index(row, 0));
            m_sidecar->load(source->path, m_model ? m_model->columnNames() : QStringList(), true);
            m_preview->setDataset(source->slug);
            m_opening = false;
        }
        Q_EMIT datasetSaved(written);
    }
    updateTitle();
    Q_EMIT modifiedChanged(isModified());
    return true;
}

void DatasetWorkspace::newDataset()
{
    if (!maybeSave())
        return;
    NewDatasetDialog dialog(writableFolders(), m_runRows, this);
    if (dialog.exec() == QDialog::Accepted)
        takeNewDataset(dialog);
}

void DatasetWorkspace::takeNewDataset(const NewDatasetDialog &dialog)
{
    switch (dialog.outcome()) {
    case NewDatasetDialog::Outcome::CreateEmpty:
        openNew(dialog.targetPath(), dialog.columns());
        break;
    case NewDatasetDialog::Outcome::FromRun:
        if (const auto table = dialog.runTable())
            openNew(dialog.targetPath(), table->columns, table->rows);
        break;
    case NewDatasetDialog::Outcome::FixInTable:
        openForFix(dialog.sourceFile(), dialog.targetPath(), dialog.check().badRows);
        break;
    case NewDatasetDialog::Outcome::Imported: {
        m_list->refresh();
        const int row = m_list->rowOfPath(dialog.targetPath());
        if (const auto *source = m_list->source(row))
            openDataset(source->slug);
        showMessage(tr("Imported %n row(s) into %1.", nullptr, int(dialog.check().rows)).arg(dialog.targetPath()));
        Q_EMIT datasetSaved(dialog.targetPath());
        break;
    }
    case NewDatasetDialog::Outcome::None:
        break;
    }
}

void DatasetWorkspace::showMessage(const QString &text, bool error)
{
    m_message->setText(text);
    m_message->setStyleSheet(error ? u"color: #b00000;"_s : QString());
}

void DatasetWorkspace::updateTitle()
{
    QString title = m_openFile.isEmpty() ? tr("No dataset open") : QFileInfo(m_openFile).fileName();
    if (m_model && m_model->savePath() != m_openFile && !m_openFile.isEmpty())
        title = tr("%1 → %2").arg(QFileInfo(m_openFile).fileName(), QDir::toNativeSeparators(m_model->savePath()));
    if (isModified())
        title += u" *"_s;
    m_title->setText(title);
}

} // namespace invoke::ui
