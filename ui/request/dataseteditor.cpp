#include "ui/request/dataseteditor.h"

#include <QtWidgets/QFormLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QListWidget>
#include <QtWidgets/QVBoxLayout>

using namespace Qt::StringLiterals;

namespace invoke::ui {

namespace {
constexpr int SlugRole = Qt::UserRole + 1;
}

DatasetEditor::DatasetEditor(QWidget *parent)
    : QWidget(parent), m_list(new QListWidget(this)), m_free(new QLineEdit(this)),
      m_note(new QLabel(this))
{
    m_list->setObjectName(u"datasetList"_s);
    m_free->setObjectName(u"freeSlugs"_s);
    m_free->setPlaceholderText(tr("other-slug, another-slug"));
    m_free->setToolTip(tr("Dataset slugs the list does not show, separated by commas"));
    m_note->setWordWrap(true);
    m_note->setEnabled(false);
    m_note->hide();

    auto *form = new QFormLayout;
    form->setContentsMargins(0, 0, 0, 0);
    form->addRow(tr("Other slugs:"), m_free);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_note);
    layout->addWidget(m_list, 1);
    layout->addLayout(form);

    connect(m_list, &QListWidget::itemChanged, this, &DatasetEditor::changed);
    connect(m_free, &QLineEdit::textChanged, this, &DatasetEditor::changed);
}

void DatasetEditor::setListing(const DatasetListing &listing)
{
    const QStringList selected = slugs();
    {
        const QSignalBlocker block(m_list);
        m_list->clear();
        for (const DatasetInfo &dataset : listing.datasets) {
            const QString name = dataset.name.isEmpty() ? dataset.slug : dataset.name;
            auto *item = new QListWidgetItem(tr("%1 (%2, %n row(s))", nullptr, int(dataset.size))
                                                 .arg(name, dataset.slug), m_list);
            item->setData(SlugRole, dataset.slug);
            item->setToolTip(dataset.description);
            item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
            item->setCheckState(Qt::Unchecked);
        }
    }
    // Files that could not be read are said under the list (all of them in the tooltip):
    // the other datasets are still offered.
    QStringList problems;
    for (const LoadProblem &problem : listing.problems)
        problems << problem.toString();
    m_note->setToolTip(problems.join(u'\n'));
    if (!listing.error.isEmpty())
        m_note->setText(tr("The datasets could not be listed: %1").arg(listing.error));
    else if (listing.datasets.isEmpty() && problems.isEmpty())
        m_note->setText(tr("The backend offers no datasets."));
    else if (!problems.isEmpty())
        m_note->setText(tr("%n dataset file(s) could not be read: %1", nullptr, int(problems.size()))
                            .arg(problems.first()));
    m_note->setVisible(!listing.error.isEmpty() || listing.datasets.isEmpty() || !problems.isEmpty());
    setSlugs(selected);
}

QStringList DatasetEditor::slugs() const
{
    QStringList result;
    for (int row = 0; row < m_list->count(); ++row) {
        const QListWidgetItem *item = m_list->item(row);
        if (item->checkState() == Qt::Checked)
            result << item->data(SlugRole).toString();
    }
    for (const QString &part : m_free->text().split(u',')) {
        const QString slug = part.trimmed();
        if (!slug.isEmpty() && !result.contains(slug))
            result << slug;
    }
    return result;
}

void DatasetEditor::setSlugs(const QStringList &slugs)
{
    QStringList free;
    {
        const QSignalBlocker block(m_list);
        for (int row = 0; row < m_list->count(); ++row)
            m_list->item(row)->setCheckState(Qt::Unchecked);
        for (const QString &slug : slugs) {
            bool offered = false;
            for (int row = 0; row < m_list->count(); ++row) {
                QListWidgetItem *item = m_list->item(row);
                if (item->data(SlugRole).toString() == slug) {
                    item->setCheckState(Qt::Checked);
                    offered = true;
                }
            }
            if (!offered && !free.contains(slug))
                free << slug;
        }
    }
    m_free->setText(free.join(u", "_s));
    Q_EMIT changed();
}

} // namespace invoke::ui
