#pragma once
// The form for a dataset's sidecar, "<name>.dataset.json" beside its file or folder
// (core/datasets/datasetcatalog.h): its name, its description, and which columns are
// searched and which are shown ("searched_columns", "shown_columns"; none ticked: all).
// Members the form does not know are kept as they were. Saved atomically (QSaveFile).
#include "core/model/json/json.h"

#include <QtWidgets/QWidget>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTableWidget;

namespace invoke::ui {

class SidecarForm : public QWidget
{
    Q_OBJECT
public:
    explicit SidecarForm(QWidget *parent = nullptr);

    // The sidecar of the dataset at `datasetPath` (a file or a folder) with these columns.
    // False with `error` when the sidecar exists and does not read (the form is then empty
    // and read-only: saving would lose what is in it).
    bool load(const QString &datasetPath, const QStringList &columns, bool writable, QString *error = nullptr);
    static QString sidecarPathFor(const QString &datasetPath);

    QString sidecarPath() const { return m_path; }
    bool isModified() const { return m_modified; }
    bool save(QString *error = nullptr);
    // What save() writes.
    Json toJson() const;

    QLineEdit *nameField() const { return m_name; }
    QPlainTextEdit *descriptionField() const { return m_description; }
    QTableWidget *columnTable() const { return m_columns; }
    QPushButton *saveButton() const { return m_save; }

Q_SIGNALS:
    void modifiedChanged(bool modified);
    void saved(const QString &path);

private:
    void setModified(bool modified);

    QString m_path;
    Json m_original = Json::object();
    bool m_modified = false;
    bool m_loading = false;
    QLineEdit *m_name;
    QPlainTextEdit *m_description;
    QTableWidget *m_columns;
    QLabel *m_note;
    QPushButton *m_save;
};

} // namespace invoke::ui
