#pragma once
// New Dataset: an empty one (its columns and format), one imported from a CSV or JSON
// Lines file, or one made from a run's output (a list of objects). An import is checked
// first, as `invoke-cli datasets import` checks it (core/datasets/datasettable.h
// checkImportFile, on a worker thread): the dialog shows the columns, the first rows and
// every row that does not read, by line, before anything is written. A clean file is
// copied atomically into the chosen datasets folder; a file with bad rows can be opened
// in the table to fix them, and saving there writes the dataset (nothing is written
// before). A slug the folder already holds is replaced only when the user says so.
#include "core/datasets/datasettable.h"

#include <QtWidgets/QDialog>

#include <functional>

class QButtonGroup;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QRadioButton;
class QStackedWidget;
class QTableWidget;

namespace invoke::ui {

class NewDatasetDialog : public QDialog
{
    Q_OBJECT
public:
    enum class Outcome { None, CreateEmpty, Imported, FixInTable, FromRun };

    // `folders`: where a dataset may be written (the first is chosen); `runRows`, when
    // set, gives the rows of the run shown ({columns, rows as JSON arrays}) or nullopt.
    NewDatasetDialog(const QStringList &folders, std::function<std::optional<datasets::DatasetTable>()> runRows,
                     QWidget *parent = nullptr);
    ~NewDatasetDialog() override;

    Outcome outcome() const { return m_outcome; }
    // Where the new dataset goes (its suffix says the format).
    QString targetPath() const;
    QString sourceFile() const;
    QStringList columns() const;
    const datasets::ImportCheck &check() const { return m_check; }
    std::optional<datasets::DatasetTable> runTable() const { return m_runTable; }

    // Picks the import page with `file` and starts its check (the tests use it).
    void chooseFile(const QString &file);
    bool isChecking() const { return m_checking; }
    QString message() const;

    QLineEdit *slugField() const { return m_slug; }
    QLineEdit *columnsField() const { return m_columns; }
    QTableWidget *previewTable() const { return m_preview; }
    QListWidget *badRowList() const { return m_badRows; }
    QPushButton *acceptButton() const { return m_accept; }
    QPushButton *fixButton() const { return m_fix; }
    QRadioButton *emptyChoice() const { return m_emptyChoice; }
    QRadioButton *importChoice() const { return m_importChoice; }
    QRadioButton *runChoice() const { return m_runChoice; }

    // Copies the checked file to targetPath() (QSaveFile; refused when it changed since the
    // check); removes a dataset of the same slug in the other format once written.
    bool importFile(QString *error);

private:
    void updateState();
    void startCheck();
    void showCheck(const datasets::ImportCheck &check, const std::optional<datasets::DatasetTable> &head,
                   const QString &headProblem);
    void showTable(const datasets::DatasetTable &table);
    QString existingDataset() const;
    bool confirmReplace();
    void finish(Outcome outcome);

    QStringList m_folders;
    std::function<std::optional<datasets::DatasetTable>()> m_runRowsOf;
    std::optional<datasets::DatasetTable> m_runTable;
    datasets::ImportCheck m_check;
    QString m_checkedFile;
    qint64 m_checkedSize = -1;
    QDateTime m_checkedTime;
    bool m_checking = false;
    bool m_slugFromFile = false;
    QString m_checkSummary;
    int m_checkGeneration = 0;
    Outcome m_outcome = Outcome::None;

    QRadioButton *m_emptyChoice;
    QRadioButton *m_importChoice;
    QRadioButton *m_runChoice;
    QLineEdit *m_slug;
    QComboBox *m_folder;
    QComboBox *m_format;
    QLineEdit *m_columns;
    QLineEdit *m_file;
    QPushButton *m_browse;
    QLabel *m_summary;
    QTableWidget *m_preview;
    QListWidget *m_badRows;
    QPushButton *m_accept;
    QPushButton *m_fix;
};

// The rows of a run's output a dataset can be made of: a list of objects, or an object
// with one member that is such a list ({"memories": [...]}); nullopt otherwise.
std::optional<datasets::DatasetTable> tableFromJson(const Json &value);

} // namespace invoke::ui
