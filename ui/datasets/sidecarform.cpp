#include "ui/datasets/sidecarform.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QSaveFile>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QTableWidget>
#include <QtWidgets/QVBoxLayout>

using namespace Qt::StringLiterals;

namespace invoke::ui {

namespace {
constexpr int SearchedColumn = 1;
constexpr int ShownColumn = 2;
}

SidecarForm::SidecarForm(QWidget *parent)
    : QWidget(parent), m_name(new QLineEdit(this)), m_description(new QPlainTextEdit(this)),
      m_columns(new QTableWidget(0, 3, this)), m_note(new QLabel(this)), m_save(new QPushButton(tr("Save Details"), this))
{
    m_name->setObjectName(u"sidecarName"_s);
    m_description->setObjectName(u"sidecarDescription"_s);
    m_columns->setObjectName(u"sidecarColumns"_s);
    m_save->setObjectName(u"sidecarSave"_s);
    m_description->setTabChangesFocus(true);
    m_description->setMaximumHeight(90);
    m_columns->setHorizontalHeaderLabels({tr("Column"), tr("Searched"), tr("Shown")});
    m_columns->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_columns->verticalHeader()->hide();
    m_columns->setToolTip(tr("Which columns memory.search reads and which it shows; none ticked means all"));
    m_note->setWordWrap(true);
    m_note->setObjectName(u"sidecarNote"_s);

    auto *form = new QFormLayout;
    form->addRow(tr("Name:"), m_name);
    form->addRow(tr("Description:"), m_description);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_columns, 1);
    layout->addWidget(m_note);
    layout->addWidget(m_save, 0, Qt::AlignRight);

    connect(m_name, &QLineEdit::textChanged, this, [this] { setModified(true); });
    connect(m_description, &QPlainTextEdit::textChanged, this, [this] { setModified(true); });
    connect(m_columns, &QTableWidget::itemChanged, this, [this] { setModified(true); });
    connect(m_save, &QPushButton::clicked, this, [this] {
        QString error;
        if (!save(&error))
            m_note->setText(error);
    });
    setEnabled(false);
}

QString SidecarForm::sidecarPathFor(const QString &datasetPath)
{
    const QFileInfo info(datasetPath);
    const QString base = info.isDir() ? info.fileName() : info.completeBaseName();
    return info.dir().filePath(base + u".dataset.json"_s);
}

bool SidecarForm::load(const QString &datasetPath, const QStringList &columns, bool writable, QString *error)
{
    m_loading = true;
    m_path = sidecarPathFor(datasetPath);
    m_original = Json::object();
    QString problem;
    QFile in(m_path);
    if (in.exists()) {
        if (!in.open(QIODevice::ReadOnly))
            problem = tr("%1: cannot read the file: %2").arg(m_path, in.errorString());
        else {
            QString why;
            const Json value = parseJson(in.readAll(), &why);
            if (value.is_discarded())
                problem = tr("%1: %2").arg(m_path, why);
            else if (!value.is_object())
                problem = tr("%1: expected an object {\"name\", \"description\"}").arg(m_path);
            else
                m_original = value;
        }
    }
    const QFileInfo info(datasetPath);
    m_name->setText(stringField(m_original, "name", info.isDir() ? info.fileName() : info.completeBaseName()));
    m_description->setPlainText(stringField(m_original, "description"));
    const QStringList searched = stringListFromJson(m_original.value("searched_columns", Json::array()));
    const QStringList shown = stringListFromJson(m_original.value("shown_columns", Json::array()));
    m_columns->setRowCount(int(columns.size()));
    for (int row = 0; row < columns.size(); ++row) {
        auto *name = new QTableWidgetItem(columns.at(row));
        name->setFlags(Qt::ItemIsEnabled);
        m_columns->setItem(row, 0, name);
        for (const auto &[column, list] : {std::pair{SearchedColumn, searched}, std::pair{ShownColumn, shown}}) {
            auto *check = new QTableWidgetItem;
            check->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
            check->setCheckState(list.contains(columns.at(row)) ? Qt::Checked : Qt::Unchecked);
            m_columns->setItem(row, column, check);
        }
    }
    const bool editable = writable && problem.isEmpty();
    setEnabled(true);
    m_name->setReadOnly(!editable);
    m_description->setReadOnly(!editable);
    m_columns->setEnabled(editable);
    m_save->setEnabled(editable);
    m_note->setText(!problem.isEmpty() ? problem
                    : !writable        ? tr("A bundled dataset: its details cannot be changed here.")
                                       : tr("Saved in %1").arg(QDir::toNativeSeparators(m_path)));
    m_loading = false;
    setModified(false);
    if (error)
        *error = problem;
    return problem.isEmpty();
}

Json SidecarForm::toJson() const
{
    Json value = m_original;
    value["name"] = toStd(m_name->text().trimmed());
    value["description"] = toStd(m_description->toPlainText().trimmed());
    QStringList searched, shown;
    for (int row = 0; row < m_columns->rowCount(); ++row) {
        const QString column = m_columns->item(row, 0)->text();
        if (m_columns->item(row, SearchedColumn)->checkState() == Qt::Checked)
            searched.append(column);
        if (m_columns->item(row, ShownColumn)->checkState() == Qt::Checked)
            shown.append(column);
    }
    value["searched_columns"] = invoke::toJson(searched);
    value["shown_columns"] = invoke::toJson(shown);
    return value;
}

bool SidecarForm::save(QString *error)
{
    QSaveFile out(m_path);
    const QByteArray bytes = dumpJson(toJson(), 2) + '\n';
    if (!out.open(QIODevice::WriteOnly) || out.write(bytes) != bytes.size() || !out.commit()) {
        if (error)
            *error = tr("cannot write %1: %2").arg(m_path, out.errorString());
        return false;
    }
    m_original = toJson();
    m_note->setText(tr("Saved in %1").arg(QDir::toNativeSeparators(m_path)));
    setModified(false);
    Q_EMIT saved(m_path);
    return true;
}

void SidecarForm::setModified(bool modified)
{
    if (m_loading || m_modified == modified)
        return;
    m_modified = modified;
    Q_EMIT modifiedChanged(modified);
}

} // namespace invoke::ui
