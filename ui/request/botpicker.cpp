#include "ui/request/botpicker.h"
#include "ui/common/icons.h"

#include <QtCore/QSortFilterProxyModel>
#include <QtGui/QStandardItemModel>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QListWidget>
#include <QtWidgets/QTextBrowser>
#include <QtWidgets/QToolButton>
#include <QtWidgets/QTreeView>
#include <QtWidgets/QVBoxLayout>

using namespace Qt::StringLiterals;

namespace invoke::ui {

namespace {
constexpr int KeyRole = Qt::UserRole + 1;

QString defaultText(const Json &value)
{
    if (value.is_null())
        return {};
    if (value.is_string())
        return toQString(value.get<std::string>());
    return QString::fromUtf8(dumpJson(value));
}
} // namespace

BotPicker::BotPicker(QWidget *parent)
    : QWidget(parent), m_search(new QLineEdit(this)), m_reload(new QToolButton(this)),
      m_model(new QStandardItemModel(this)), m_proxy(new QSortFilterProxyModel(this)),
      m_view(new QTreeView(this)), m_details(new QTextBrowser(this)),
      m_problemsTitle(new QLabel(this)), m_problems(new QListWidget(this))
{
    m_search->setObjectName(u"botSearch"_s);
    m_search->setPlaceholderText(tr("Search bots"));
    m_search->setClearButtonEnabled(true);
    m_search->addAction(icon(u"search"_s), QLineEdit::LeadingPosition);

    m_reload->setObjectName(u"reloadBots"_s);
    m_reload->setIcon(icon(u"reload"_s));
    m_reload->setToolTip(tr("Reload the bots"));
    m_reload->setAutoRaise(true);

    m_model->setHorizontalHeaderLabels({tr("Name"), tr("Key"), tr("Description")});
    m_proxy->setSourceModel(m_model);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setFilterKeyColumn(-1); // name, key and description all match

    m_view->setObjectName(u"botList"_s);
    m_view->setModel(m_proxy);
    m_view->setRootIsDecorated(false);
    m_view->setUniformRowHeights(true);
    m_view->setAlternatingRowColors(true);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(0, Qt::AscendingOrder);
    m_view->header()->setStretchLastSection(true);
    m_view->header()->setSectionResizeMode(2, QHeaderView::Stretch);
    m_view->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff); // descriptions elide; the tooltip has them whole
    m_view->setTextElideMode(Qt::ElideRight);

    m_details->setObjectName(u"botDetails"_s);
    m_details->setOpenLinks(false);
    m_details->setMinimumHeight(80);

    m_problemsTitle->setObjectName(u"botProblemsTitle"_s);
    m_problems->setObjectName(u"botProblems"_s);
    m_problems->setWordWrap(true);
    m_problems->setMaximumHeight(110);
    m_problemsTitle->hide();
    m_problems->hide();

    auto *searchRow = new QHBoxLayout;
    searchRow->addWidget(m_search, 1);
    searchRow->addWidget(m_reload);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(searchRow);
    layout->addWidget(m_view, 3);
    layout->addWidget(m_problemsTitle);
    layout->addWidget(m_problems, 1);
    layout->addWidget(m_details, 2);

    connect(m_search, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);
    connect(m_reload, &QToolButton::clicked, this, &BotPicker::reloadRequested);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] {
        showDetails();
        Q_EMIT currentBotChanged(currentKey());
    });
}

void BotPicker::setListing(const BotListing &listing)
{
    const QString previous = currentKey();
    m_listing = listing;

    {
        const QSignalBlocker block(m_view->selectionModel());
        m_model->removeRows(0, m_model->rowCount());
        for (const BotInfo &bot : listing.bots) {
            auto *name = new QStandardItem(bot.displayName());
            name->setData(bot.key, KeyRole);
            name->setToolTip(bot.sourceFile);
            auto *description = new QStandardItem(bot.description);
            description->setToolTip(bot.description);
            m_model->appendRow({name, new QStandardItem(bot.key), description});
        }
    }
    m_view->resizeColumnToContents(0);
    m_view->resizeColumnToContents(1);

    m_problems->clear();
    QStringList problemLines;
    if (!listing.error.isEmpty())
        problemLines << listing.error;
    for (const LoadProblem &problem : listing.problems)
        problemLines << problem.toString();
    for (const QString &line : std::as_const(problemLines)) {
        auto *item = new QListWidgetItem(icon(u"banner-warning"_s), line, m_problems);
        item->setToolTip(line);
    }
    m_problemsTitle->setText(listing.error.isEmpty()
                                 ? tr("%n bot file(s) could not be loaded:", nullptr, int(listing.problems.size()))
                                 : tr("The bots could not be listed:"));
    m_problemsTitle->setVisible(!problemLines.isEmpty());
    m_problems->setVisible(!problemLines.isEmpty());

    if (previous.isEmpty() || !selectBot(previous)) {
        showDetails();
        Q_EMIT currentBotChanged(currentKey());
    }
}

const BotInfo *BotPicker::find(const QString &key) const
{
    for (const BotInfo &bot : m_listing.bots) {
        if (bot.key == key)
            return &bot;
    }
    return nullptr;
}

const BotInfo *BotPicker::currentBot() const
{
    return find(currentKey());
}

QString BotPicker::currentKey() const
{
    const QModelIndex current = m_view->selectionModel()->currentIndex();
    if (!current.isValid())
        return {};
    return current.siblingAtColumn(0).data(KeyRole).toString();
}

bool BotPicker::selectBot(const QString &key)
{
    for (int row = 0; row < m_proxy->rowCount(); ++row) {
        const QModelIndex index = m_proxy->index(row, 0);
        if (index.data(KeyRole).toString() == key) {
            m_view->selectionModel()->setCurrentIndex(
                index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
            m_view->scrollTo(index);
            return true;
        }
    }
    return false;
}

void BotPicker::selectFirst()
{
    if (m_proxy->rowCount() > 0)
        selectBot(m_proxy->index(0, 0).data(KeyRole).toString());
}

QString BotPicker::detailsText() const
{
    return m_details->toPlainText();
}

void BotPicker::showDetails()
{
    const BotInfo *bot = currentBot();
    if (!bot) {
        m_details->setHtml(m_listing.bots.isEmpty()
                               ? tr("<p><i>No bots. Add <code>*.bot.json</code> files to your bots folder and reload.</i></p>")
                               : tr("<p><i>Pick a bot to see its parameters.</i></p>"));
        return;
    }
    QString html = u"<p><b>%1</b> <code>%2</code><br/>%3</p>"_s.arg(
        bot->displayName().toHtmlEscaped(), bot->key.toHtmlEscaped(), bot->description.toHtmlEscaped());
    html += tr("<p>Updated: %1</p>").arg(bot->updatedAtText().toHtmlEscaped());
    if (bot->parameters.isEmpty()) {
        html += tr("<p><i>Takes no parameters.</i></p>");
    } else {
        html += tr("<p><b>Parameters</b></p>");
        for (const ParameterDefinition &p : bot->parameters) {
            const QString def = defaultText(p.defaultValue);
            html += u"<p style='margin-left:8px'><code>%1</code> <i>%2</i>%3<br/>%4%5</p>"_s.arg(
                p.key.toHtmlEscaped(), p.type.toHtmlEscaped(),
                p.required ? tr(", <b>required</b>") : QString(), p.description.toHtmlEscaped(),
                def.isEmpty() ? QString() : tr(" Default: <code>%1</code>").arg(def.toHtmlEscaped()));
        }
    }
    m_details->setHtml(html);
}

} // namespace invoke::ui
