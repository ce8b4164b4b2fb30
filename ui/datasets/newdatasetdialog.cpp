#include "ui/datasets/newdatasetdialog.h"

#include "core/datasets/datasetcatalog.h"

#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QLocale>
#include <QtCore/QPointer>
#include <QtCore/QSaveFile>
#include <QtCore/QCoreApplication>
#include <QtCore/QThread>
#include <QtWidgets/QButtonGroup>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QDialogButtonBox>
#include <QtWidgets/QFileDialog>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QListWidget>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QRadioButton>
#include <QtWidgets/QTableWidget>
#include <QtWidgets/QVBoxLayout>

using namespace Qt::StringLiterals;

namespace invoke::ui {

namespace {
constexpr int PreviewRows = 20;

QString cellText(const Json &value)
{
    return value.is_string() ? toQString(value.get<std::string>()) : value.is_null() ? QString() : toQString(value.dump());
}
} // namespace

std::optional<datasets::DatasetTable> tableFromJson(const Json &value)
{
    const Json *list = &value;
    if (value.is_object()) {
        list = nullptr;
        for (auto it = value.begin(); it != value.end(); ++it)
            if (it->is_array() && !it->empty()) {
                if (list)
                    return std::nullopt; // two lists: which one is meant is not clear
                list = &*it;
            }
    }
    if (!list || !list->is_array() || list->empty())
        return std::nullopt;
    datasets::DatasetTable table;
    for (const Json &row : *list) {
        if (!row.is_object())
            return std::nullopt;
        for (auto it = row.begin(); it != row.end(); ++it)
            if (!table.columns.contains(toQString(it.key())))
                table.columns.append(toQString(it.key()));
    }
    for (const Json &row : *list) {
        Json cells = Json::array();
        for (const QString &column : std::as_const(table.columns))
            cells.push_back(row.value(toStd(column), Json()));
        table.rows.append(std::move(cells));
    }
    return table;
}

NewDatasetDialog::NewDatasetDialog(const QStringList &folders,
                                   std::function<std::optional<datasets::DatasetTable>()> runRows, QWidget *parent)
    : QDialog(parent), m_folders(folders), m_runRowsOf(std::move(runRows)),
      m_emptyChoice(new QRadioButton(tr("An empty dataset"), this)),
      m_importChoice(new QRadioButton(tr("Import a CSV or JSON Lines file"), this)),
      m_runChoice(new QRadioButton(tr("The rows of the run shown"), this)), m_slug(new QLineEdit(this)),
      m_folder(new QComboBox(this)), m_format(new QComboBox(this)), m_columns(new QLineEdit(this)),
      m_file(new QLineEdit(this)), m_browse(new QPushButton(tr("Choose…"), this)), m_summary(new QLabel(this)),
      m_preview(new QTableWidget(this)), m_badRows(new QListWidget(this)), m_accept(new QPushButton(tr("Create"), this)),
      m_fix(new QPushButton(tr("Open in Table to Fix"), this))
{
    setWindowTitle(tr("New Dataset"));
    setObjectName(u"newDatasetDialog"_s);
    m_slug->setObjectName(u"newDatasetSlug"_s);
    m_columns->setObjectName(u"newDatasetColumns"_s);
    m_file->setObjectName(u"newDatasetFile"_s);
    m_preview->setObjectName(u"importPreview"_s);
    m_badRows->setObjectName(u"importBadRows"_s);
    m_summary->setObjectName(u"importSummary"_s);
    m_summary->setWordWrap(true);
    m_slug->setPlaceholderText(tr("lowercase letters, digits and -"));
    m_columns->setPlaceholderText(tr("question, answer"));
    m_columns->setText(tr("question, answer"));
    m_format->addItem(tr("CSV"), u"csv"_s);
    m_format->addItem(tr("JSON Lines"), u"jsonl"_s);
    for (const QString &folder : folders)
        m_folder->addItem(QDir::toNativeSeparators(folder), folder);
    m_preview->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_preview->horizontalHeader()->setDefaultSectionSize(200);
    m_preview->horizontalHeader()->setStretchLastSection(true);
    m_preview->verticalHeader()->setDefaultSectionSize(22);
    m_badRows->setMaximumHeight(110);
    m_fix->setToolTip(tr("Open the file in the table with its bad rows marked; saving there writes the dataset"));

    auto *choices = new QButtonGroup(this);
    for (QRadioButton *b : {m_emptyChoice, m_importChoice, m_runChoice})
        choices->addButton(b);
    m_emptyChoice->setChecked(true);
    m_runTable = m_runRowsOf ? m_runRowsOf() : std::nullopt;
    m_runChoice->setEnabled(m_runTable.has_value());
    m_runChoice->setToolTip(m_runTable ? tr("%n row(s) of the run's output", nullptr, int(m_runTable->rows.size()))
                                       : tr("The run shown has no output that is a list of objects"));

    auto *fileRow = new QHBoxLayout;
    fileRow->addWidget(m_file, 1);
    fileRow->addWidget(m_browse);
    auto *form = new QFormLayout;
    form->addRow(tr("File:"), fileRow);
    form->addRow(tr("Slug:"), m_slug);
    form->addRow(tr("Folder:"), m_folder);
    form->addRow(tr("Format:"), m_format);
    form->addRow(tr("Columns:"), m_columns);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    buttons->addButton(m_fix, QDialogButtonBox::ActionRole);
    buttons->addButton(m_accept, QDialogButtonBox::AcceptRole);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_emptyChoice);
    layout->addWidget(m_importChoice);
    layout->addWidget(m_runChoice);
    layout->addLayout(form);
    layout->addWidget(m_summary);
    layout->addWidget(m_preview, 1);
    layout->addWidget(m_badRows);
    layout->addWidget(buttons);
    resize(720, 520);

    for (QRadioButton *b : {m_emptyChoice, m_importChoice, m_runChoice})
        connect(b, &QRadioButton::toggled, this, [this] {
            if (m_runChoice->isChecked() && m_runTable)
                showTable(*m_runTable);
            updateState();
        });
    connect(m_slug, &QLineEdit::textEdited, this, [this] { m_slugFromFile = false; });
    connect(m_slug, &QLineEdit::textChanged, this, &NewDatasetDialog::updateState);
    connect(m_columns, &QLineEdit::textChanged, this, &NewDatasetDialog::updateState);
    connect(m_format, &QComboBox::currentIndexChanged, this, &NewDatasetDialog::updateState);
    connect(m_file, &QLineEdit::editingFinished, this, [this] {
        if (m_file->text() != m_checkedFile)
            chooseFile(m_file->text());
    });
    connect(m_browse, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getOpenFileName(this, tr("Import a Dataset"), QString(),
                                                          tr("CSV or JSON Lines (*.csv *.jsonl *.ndjson)"));
        if (!file.isEmpty())
            chooseFile(file);
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_fix, &QPushButton::clicked, this, [this] {
        if (confirmReplace())
            finish(Outcome::FixInTable);
    });
    connect(m_accept, &QPushButton::clicked, this, [this] {
        if (!confirmReplace())
            return;
        if (m_importChoice->isChecked()) {
            QString error;
            if (!importFile(&error)) {
                m_summary->setText(error);
                return;
            }
            finish(Outcome::Imported);
        } else {
            finish(m_runChoice->isChecked() ? Outcome::FromRun : Outcome::CreateEmpty);
        }
    });
    updateState();
}

NewDatasetDialog::~NewDatasetDialog()
{
    ++m_checkGeneration;
}

void NewDatasetDialog::finish(Outcome outcome)
{
    m_outcome = outcome;
    accept();
}

QString NewDatasetDialog::sourceFile() const
{
    return m_checkedFile;
}

QStringList NewDatasetDialog::columns() const
{
    if (m_runChoice->isChecked() && m_runTable)
        return m_runTable->columns;
    QStringList names;
    for (const QString &part : m_columns->text().split(u','))
        if (!part.trimmed().isEmpty())
            names.append(part.trimmed());
    return names;
}

QString NewDatasetDialog::targetPath() const
{
    const QString folder = m_folder->currentData().toString();
    QString suffix = m_format->currentData().toString();
    if (m_importChoice->isChecked())
        suffix = QFileInfo(m_checkedFile).suffix().toLower() == u"csv"_s ? u"csv"_s : u"jsonl"_s;
    else if (m_runChoice->isChecked())
        suffix = u"jsonl"_s;
    return folder.isEmpty() || m_slug->text().isEmpty() ? QString()
                                                        : QDir(folder).filePath(m_slug->text() + u'.' + suffix);
}

QString NewDatasetDialog::existingDataset() const
{
    datasets::DatasetCatalog catalog;
    catalog.scan({m_folder->currentData().toString()});
    const datasets::DatasetSource *existing = catalog.find(m_slug->text());
    return existing ? existing->path : QString();
}

bool NewDatasetDialog::confirmReplace()
{
    const QString existing = existingDataset();
    if (existing.isEmpty())
        return true;
    if (QFileInfo(existing).isDir()) {
        m_summary->setText(tr("The dataset \"%1\" is the folder %2; choose another slug.").arg(m_slug->text(), existing));
        return false;
    }
    return QMessageBox::question(this, tr("Replace Dataset"),
                                 tr("%1 already holds the dataset \"%2\". Replace it?").arg(existing, m_slug->text()),
                                 QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel)
        == QMessageBox::Yes;
}

QString NewDatasetDialog::message() const
{
    return m_summary->text();
}

void NewDatasetDialog::updateState()
{
    const bool importing = m_importChoice->isChecked();
    const bool empty = m_emptyChoice->isChecked();
    m_file->setEnabled(importing);
    m_browse->setEnabled(importing);
    m_format->setEnabled(empty);
    m_columns->setEnabled(empty);
    m_preview->setVisible(!empty);
    m_badRows->setVisible(importing && !m_check.badRows.isEmpty());
    m_accept->setText(importing ? tr("Import") : tr("Create"));
    QString why;
    const QString slug = m_slug->text();
    if (slug.isEmpty())
        why = tr("Give the dataset a slug.");
    else if (datasets::DatasetCatalog::slugFor(slug) != slug)
        why = tr("\"%1\" is not a slug (lowercase letters, digits and single \"-\"; \"%2\" would be).")
                  .arg(slug, datasets::DatasetCatalog::slugFor(slug));
    else if (m_folder->count() == 0)
        why = tr("There is no datasets folder to write to.");
    else if (empty && columns().isEmpty())
        why = tr("Name at least one column.");
    else if (empty && columns().removeDuplicates() > 0)
        why = tr("Two columns have the same name.");
    else if (importing && (m_checkedFile.isEmpty() || m_checking))
        why = m_checking ? tr("Checking %1…").arg(m_checkedFile) : tr("Choose a file to import.");
    bool fixable = importing && !m_checking && !m_check.badRows.isEmpty();
    for (const LoadProblem &problem : std::as_const(m_check.badRows))
        fixable = fixable && problem.line > 0; // a file that cannot be read at all is not fixed in a table
    m_accept->setEnabled(why.isEmpty() && (!importing || m_check.badRows.isEmpty()));
    m_fix->setVisible(importing && !m_check.badRows.isEmpty());
    m_fix->setEnabled(fixable && why.isEmpty());
    if (!why.isEmpty())
        m_summary->setText(why);
    else if (importing)
        m_summary->setText(m_checkSummary);
    else if (m_runChoice->isChecked() && m_runTable)
        m_summary->setText(tr("%n row(s) of the run's output, as JSON Lines", nullptr, int(m_runTable->rows.size())));
    else
        m_summary->setText(tr("An empty dataset with these columns; add rows in the table, then save."));
}

void NewDatasetDialog::chooseFile(const QString &file)
{
    m_importChoice->setChecked(true);
    m_file->setText(file);
    m_checkedFile = file;
    if (m_slug->text().isEmpty() || m_slugFromFile) {
        m_slug->setText(datasets::DatasetCatalog::slugFor(QFileInfo(file).completeBaseName()));
        m_slugFromFile = true;
    }
    startCheck();
}

void NewDatasetDialog::startCheck()
{
    const int generation = ++m_checkGeneration;
    m_checking = true;
    m_check = {};
    m_checkSummary.clear();
    m_preview->clear();
    m_preview->setRowCount(0);
    m_badRows->clear();
    const QFileInfo info(m_checkedFile);
    m_checkedSize = info.size();
    m_checkedTime = info.lastModified();
    updateState();
    // Every row is read: on a worker thread, so a large file never freezes the dialog.
    QPointer<NewDatasetDialog> self(this);
    QThread *thread = QThread::create([self, generation, file = m_checkedFile] {
        const datasets::ImportCheck check = datasets::checkImportFile(file);
        datasets::DatasetSource source;
        source.path = file;
        source.files = {file};
        source.slug = datasets::DatasetCatalog::slugFor(QFileInfo(file).completeBaseName());
        LoadProblem problem;
        std::optional<datasets::DatasetTable> head;
        if (check.badRows.isEmpty() || check.badRows.first().line > 0)
            head = datasets::readTableHead(source, PreviewRows, &problem);
        // A bad row among the first: the rows before it (and at least the columns).
        if (!head && !check.badRows.isEmpty() && check.badRows.first().line > 0) {
            LoadProblem again;
            head = datasets::readTableHead(source, std::max(0, std::min(PreviewRows, check.badRows.first().line - 2)),
                                           &again);
            if (!head)
                head = datasets::DatasetTable{};
            if (head->columns.isEmpty())
                head->columns = check.columns;
        }
        QMetaObject::invokeMethod(qApp, [self, generation, check, head, why = problem.toString()] {
            if (self && self->m_checkGeneration == generation)
                self->showCheck(check, head, why);
        }, Qt::QueuedConnection);
    });
    connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    thread->start();
}

void NewDatasetDialog::showCheck(const datasets::ImportCheck &check, const std::optional<datasets::DatasetTable> &head,
                                 const QString &headProblem)
{
    m_checking = false;
    m_check = check;
    if (head)
        showTable(*head);
    for (const LoadProblem &problem : check.badRows) {
        auto *item = new QListWidgetItem(problem.line > 0 ? tr("line %1: %2").arg(problem.line).arg(problem.reason)
                                                          : problem.reason, m_badRows);
        item->setData(Qt::UserRole, problem.line);
        item->setForeground(QColor(170, 0, 0));
    }
    const QString rows = tr("%n row(s)", nullptr, int(check.rows));
    if (check.badRows.isEmpty())
        m_checkSummary = tr("%1 read, %2; nothing is written until you import.")
                             .arg(rows, head ? tr("%n column(s)", nullptr, int(head->columns.size())) : QString());
    else
        m_checkSummary = tr("%1 read; %n row(s) do not read and nothing can be imported until each is fixed "
                            "or removed.", nullptr, int(check.badRows.size())).arg(rows)
            + (head ? QString() : u" "_s + headProblem);
    updateState();
}

void NewDatasetDialog::showTable(const datasets::DatasetTable &table)
{
    m_preview->clear();
    m_preview->setColumnCount(int(table.columns.size()));
    m_preview->setHorizontalHeaderLabels(table.columns);
    const int rows = int(std::min<qsizetype>(table.rows.size(), PreviewRows));
    m_preview->setRowCount(rows);
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < table.columns.size() && c < int(table.rows.at(r).size()); ++c)
            m_preview->setItem(r, c, new QTableWidgetItem(cellText(table.rows.at(r).at(size_t(c)))));
}

bool NewDatasetDialog::importFile(QString *error)
{
    const QString destination = targetPath();
    const QString existing = existingDataset();
    QDir().mkpath(QFileInfo(destination).absolutePath());
    QFile in(m_checkedFile);
    QSaveFile out(destination);
    if (!in.open(QIODevice::ReadOnly) || !out.open(QIODevice::WriteOnly)) {
        *error = tr("cannot import %1 into %2: %3").arg(m_checkedFile, destination,
                                                        in.isOpen() ? out.errorString() : in.errorString());
        return false;
    }
    while (!in.atEnd()) {
        const QByteArray block = in.read(1 << 20);
        if (block.isEmpty() || out.write(block) != block.size())
            break;
    }
    // Copied as checked: a file that changed since is not half-imported.
    const QFileInfo after(m_checkedFile);
    if (!in.atEnd() || after.size() != m_checkedSize || after.lastModified() != m_checkedTime) {
        out.cancelWriting();
        *error = tr("%1 changed since it was checked; nothing was written. Check it again.").arg(m_checkedFile);
        return false;
    }
    if (!out.commit()) {
        *error = tr("cannot write %1: %2").arg(destination, out.errorString());
        return false;
    }
    if (!existing.isEmpty() && QFileInfo(existing).absoluteFilePath() != QFileInfo(destination).absoluteFilePath())
        QFile::remove(existing); // the same slug in the other format
    return true;
}

} // namespace invoke::ui
