#include "ui/history/historypanel.h"

#include "ui/common/banner.h"
#include "ui/history/historylistmodel.h"

#include "core/cache/cacheurl.h"
#include "core/cache/openreplaycache.h"
#include "core/config/paths.h"
#include "core/history/runcacheentries.h"
#include "core/history/runfile.h"

#include <QtCore/QFileInfo>

#include <QtWidgets/QCheckBox>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QDateEdit>
#include <QtWidgets/QFileDialog>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QTableView>
#include <QtWidgets/QVBoxLayout>

using namespace Qt::StringLiterals;

namespace invoke::ui {

namespace {

// The studio records its engine's runs as "Embedded engine" (LocalBackend::displayName),
// invoke-cli as "Embedded"; a run on a server used the server's cache, which only its
// recorded answers can stand for (as app/cli/runs/runscommand.cpp exports).
bool ranOnTheEmbeddedEngine(const history::RunRecord &record)
{
    return record.summary.profile.startsWith(u"Embedded"_s);
}

// The store `url` names, opened; null without `error` when it is a file that does not
// exist (nothing was ever cached: the entries are made from the recording), null with
// `error` naming the store when it cannot be read.
std::unique_ptr<cache::ReplayCache> openReplayCache(const QString &url, QString *error)
{
    error->clear();
    const std::optional<cache::CacheUrl> parsed = cache::CacheUrl::parse(url, error);
    if (!parsed) {
        *error = QObject::tr("the replay cache %1 is not a usable cache URL: %2").arg(cache::maskCacheUrlPassword(url), *error);
        return nullptr;
    }
    if (!parsed->isPostgres() && !QFileInfo::exists(parsed->filePath))
        return nullptr;
    std::unique_ptr<cache::ReplayCache> store = cache::makeReplayCache(url, error);
    if (store && !store->open(error)) {
        *error = QObject::tr("the replay cache %1 could not be read: %2").arg(store->location(), *error);
        return nullptr;
    }
    return store;
}

} // namespace

HistoryPanel::HistoryPanel(const QString &historyFile, QWidget *parent)
    : QWidget(parent), m_file(historyFile), m_model(new HistoryListModel(this)), m_banner(new Banner(this)),
      m_bot(new QLineEdit(this)), m_text(new QLineEdit(this)), m_outcome(new QComboBox(this)),
      m_useDates(new QCheckBox(tr("Started"), this)), m_from(new QDateEdit(this)), m_to(new QDateEdit(this)),
      m_view(new QTableView(this))
{
    setObjectName(u"historyPanel"_s);
    m_bot->setObjectName(u"historyBot"_s);
    m_bot->setPlaceholderText(tr("Bot key"));
    m_bot->setClearButtonEnabled(true);
    m_text->setObjectName(u"historyText"_s);
    m_text->setPlaceholderText(tr("Search the request, result and error"));
    m_text->setClearButtonEnabled(true);
    m_outcome->setObjectName(u"historyOutcome"_s);
    m_outcome->addItem(tr("Any outcome"), QString());
    for (const history::Outcome o : {history::Outcome::Succeeded, history::Outcome::Failed,
                                     history::Outcome::Cancelled, history::Outcome::Unfinished})
        m_outcome->addItem(QString(history::outcomeName(o)), QString(history::outcomeName(o)));
    m_useDates->setObjectName(u"historyUseDates"_s);
    for (QDateEdit *edit : {m_from, m_to}) {
        edit->setCalendarPopup(true);
        edit->setDisplayFormat(u"yyyy-MM-dd"_s);
        edit->setDate(QDate::currentDate());
        edit->setEnabled(false);
    }
    m_from->setObjectName(u"historyFrom"_s);
    m_to->setObjectName(u"historyTo"_s);

    m_view->setObjectName(u"historyList"_s);
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setSectionResizeMode(HistoryListModel::Bot, QHeaderView::Stretch);
    m_view->setAlternatingRowColors(true);

    const auto button = [this](const QString &name, const QString &text, const QString &tip) {
        auto *b = new QPushButton(text, this);
        b->setObjectName(name);
        b->setToolTip(tip);
        return b;
    };
    m_reopen = button(u"historyReopen"_s, tr("Reopen"), tr("Show the run's steps, transcript and events as it streamed"));
    m_rerun = button(u"historyRerun"_s, tr("Re-run"), tr("Run the same request again"));
    m_compare = button(u"historyCompare"_s, tr("Compare"), tr("Compare two selected runs step by step"));
    m_pin = button(u"historyPin"_s, tr("Pin"), tr("A pinned run is kept whatever the size cap"));
    m_delete = button(u"historyDelete"_s, tr("Delete"), tr("Remove the run from the history"));
    m_export = button(u"historyExport"_s, tr("Export…"), tr("Write a run file (*.invokerun) to keep or share"));
    m_open = button(u"historyOpen"_s, tr("Open run file…"), tr("Open a run file (*.invokerun), offline"));

    auto *search = new QHBoxLayout;
    search->addWidget(m_bot, 1);
    search->addWidget(m_text, 3);
    search->addWidget(m_outcome);
    search->addWidget(m_useDates);
    search->addWidget(m_from);
    search->addWidget(m_to);
    auto *actions = new QHBoxLayout;
    for (QPushButton *b : {m_reopen, m_rerun, m_compare, m_pin, m_delete, m_export})
        actions->addWidget(b);
    actions->addStretch(1);
    actions->addWidget(m_open);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_banner);
    layout->addLayout(search);
    layout->addWidget(m_view, 1);
    layout->addLayout(actions);

    connect(m_bot, &QLineEdit::textChanged, this, &HistoryPanel::refresh);
    connect(m_text, &QLineEdit::textChanged, this, &HistoryPanel::refresh);
    connect(m_outcome, &QComboBox::currentIndexChanged, this, &HistoryPanel::refresh);
    connect(m_useDates, &QCheckBox::toggled, this, [this](bool on) {
        m_from->setEnabled(on);
        m_to->setEnabled(on);
        refresh();
    });
    connect(m_from, &QDateEdit::dateChanged, this, &HistoryPanel::refresh);
    connect(m_to, &QDateEdit::dateChanged, this, &HistoryPanel::refresh);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &HistoryPanel::updateButtons);
    connect(m_model, &QAbstractItemModel::modelReset, this, &HistoryPanel::updateButtons);
    connect(m_view, &QTableView::doubleClicked, this, [this] { reopenSelected(); });
    connect(m_reopen, &QPushButton::clicked, this, [this] { reopenSelected(); });
    connect(m_rerun, &QPushButton::clicked, this, [this] { rerunSelected(); });
    connect(m_compare, &QPushButton::clicked, this, [this] { compareSelected(); });
    connect(m_pin, &QPushButton::clicked, this, [this] { togglePinSelected(); });
    connect(m_delete, &QPushButton::clicked, this, [this] {
        const QStringList ids = selectedIds();
        if (ids.isEmpty())
            return;
        if (QMessageBox::question(this, tr("Delete runs"), tr("Remove %n run(s) from the history?", nullptr,
                                                              int(ids.size())))
            == QMessageBox::Yes)
            deleteSelected();
    });
    connect(m_export, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getSaveFileName(this, tr("Export run"), u"run.invokerun"_s,
                                                          tr("Run files (*.invokerun)"));
        if (!file.isEmpty())
            exportSelected(file);
    });
    connect(m_open, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getOpenFileName(this, tr("Open run file"), {}, tr("Run files (*.invokerun)"));
        if (!file.isEmpty())
            openRunFile(file);
    });
    refresh();
}

HistoryPanel::~HistoryPanel() = default;

bool HistoryPanel::ensureOpen()
{
    if (m_store)
        return true;
    if (!m_unavailable.isEmpty())
        return false;
    auto store = std::make_unique<history::HistoryStore>(m_file);
    QString error;
    if (!store->open(&error)) {
        setUnavailable(error);
        return false;
    }
    m_store = std::move(store);
    return true;
}

void HistoryPanel::setUnavailable(const QString &reason)
{
    m_unavailable = reason;
    m_store.reset();
    m_model->setRuns({});
    m_banner->showMessage(Banner::Warning,
                          tr("The run history is unavailable: %1. Runs still work; they are not recorded.").arg(reason));
    updateButtons();
}

history::HistoryQuery HistoryPanel::query() const
{
    history::HistoryQuery q;
    q.botKey = m_bot->text().trimmed();
    q.text = m_text->text().trimmed();
    if (const QString o = m_outcome->currentData().toString(); !o.isEmpty())
        q.outcome = history::outcomeFromName(o);
    if (m_useDates->isChecked()) {
        q.from = m_from->date().startOfDay().toUTC();
        q.to = m_to->date().addDays(1).startOfDay().toUTC(); // the whole last day
    }
    q.limit = 500;
    return q;
}

void HistoryPanel::setQuery(const history::HistoryQuery &q)
{
    const QSignalBlocker b1(m_bot), b2(m_text), b3(m_outcome), b4(m_useDates), b5(m_from), b6(m_to);
    m_bot->setText(q.botKey);
    m_text->setText(q.text);
    m_outcome->setCurrentIndex(q.outcome ? qMax(0, m_outcome->findData(QString(history::outcomeName(*q.outcome)))) : 0);
    const bool dates = q.from.isValid() || q.to.isValid();
    m_useDates->setChecked(dates);
    m_from->setEnabled(dates);
    m_to->setEnabled(dates);
    if (q.from.isValid())
        m_from->setDate(q.from.toLocalTime().date());
    if (q.to.isValid())
        m_to->setDate(q.to.toLocalTime().addMSecs(-1).date());
    refresh();
}

void HistoryPanel::refresh()
{
    if (!ensureOpen())
        return;
    const QStringList selected = selectedIds();
    QString error;
    const QList<history::RunSummary> runs = m_store->list(query(), &error);
    if (!error.isEmpty()) {
        say(error, true);
        return;
    }
    m_model->setRuns(runs);
    select(selected);
}

QStringList HistoryPanel::selectedIds() const
{
    QStringList ids;
    if (!m_view->selectionModel())
        return ids;
    QModelIndexList rows = m_view->selectionModel()->selectedRows();
    std::sort(rows.begin(), rows.end(), [](const QModelIndex &a, const QModelIndex &b) { return a.row() < b.row(); });
    for (const QModelIndex &row : std::as_const(rows))
        ids.append(row.data(HistoryListModel::InvocationIdRole).toString());
    return ids;
}

void HistoryPanel::select(const QStringList &invocationIds)
{
    QItemSelection selection;
    for (const QString &id : invocationIds) {
        const int row = m_model->rowOf(id);
        if (row >= 0)
            selection.select(m_model->index(row, 0), m_model->index(row, HistoryListModel::ColumnCount - 1));
    }
    m_view->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
    if (!selection.isEmpty())
        m_view->scrollTo(selection.first().topLeft());
}

std::optional<history::RunRecord> HistoryPanel::load(const QString &id)
{
    if (!ensureOpen())
        return std::nullopt;
    QString error;
    auto record = m_store->load(id, &error);
    if (!record)
        say(error, true);
    return record;
}

void HistoryPanel::say(const QString &message, bool error)
{
    m_message = message;
    if (error)
        m_banner->showMessage(Banner::Error, message);
    else
        m_banner->showMessage(Banner::Info, message);
}

bool HistoryPanel::reopenSelected()
{
    const QStringList ids = selectedIds();
    if (ids.size() != 1)
        return false;
    const auto record = load(ids.first());
    if (!record)
        return false;
    Q_EMIT reopenRequested(*record);
    return true;
}

bool HistoryPanel::rerunSelected()
{
    const QStringList ids = selectedIds();
    if (ids.size() != 1)
        return false;
    const auto record = load(ids.first());
    if (!record)
        return false;
    Q_EMIT rerunRequested(*record);
    return true;
}

bool HistoryPanel::compareSelected()
{
    const QStringList ids = selectedIds();
    if (ids.size() != 2)
        return false;
    // The older run is "a", as `invoke-cli runs diff OLD NEW` reads.
    const auto newer = load(ids.at(0));
    const auto older = newer ? load(ids.at(1)) : std::nullopt;
    if (!newer || !older)
        return false;
    Q_EMIT compareRequested(*older, *newer);
    return true;
}

bool HistoryPanel::togglePinSelected()
{
    const QStringList ids = selectedIds();
    if (ids.isEmpty() || !ensureOpen())
        return false;
    const int row = m_model->rowOf(ids.first());
    const bool pin = row >= 0 && !m_model->runAt(row).pinned;
    for (const QString &id : ids) {
        QString error;
        if (!m_store->setPinned(id, pin, &error)) {
            say(error, true);
            return false;
        }
        m_model->setPinned(id, pin);
    }
    updateButtons();
    return true;
}

bool HistoryPanel::deleteSelected()
{
    const QStringList ids = selectedIds();
    if (ids.isEmpty() || !ensureOpen())
        return false;
    for (const QString &id : ids) {
        QString error;
        if (!m_store->remove(id, &error)) {
            say(error, true);
            return false;
        }
    }
    refresh();
    say(tr("Deleted %n run(s).", nullptr, int(ids.size())), false);
    return true;
}

bool HistoryPanel::exportSelected(const QString &filePath)
{
    const QStringList ids = selectedIds();
    if (ids.size() != 1)
        return false;
    const auto record = load(ids.first());
    if (!record)
        return false;
    history::RunFile file;
    file.record = *record;
    if (record->request.mode.kind == Mode::Manual && !record->request.manualMocks.isEmpty())
        file.mocks = record->request.manualMocks.toJson();
    // The replay entries its replay steps used (docs/runs.md): from the run's own, the
    // replay cache the studio uses (whichever store: ReplayCache), or the recorded answers.
    QString error;
    std::unique_ptr<cache::ReplayCache> store;
    if (ranOnTheEmbeddedEngine(*record)) {
        store = openReplayCache(m_replayCacheUrl ? m_replayCacheUrl() : paths::replayCacheFile(), &error);
        if (!store && !error.isEmpty()) {
            say(tr("The run was not exported: %1").arg(error), true);
            return false;
        }
    }
    const auto entries = history::runCacheEntries(*record, store.get(), u"local"_s, &error);
    if (!entries) {
        say(tr("The run was not exported: %1").arg(error), true);
        return false;
    }
    file.cacheEntries = history::cacheEntriesJson(entries->entries);
    // The bot files as they ran, for a run of the engine here; a server's run carries the
    // server's plan (bot_plan) only.
    const history::FoundBotSources bots = ranOnTheEmbeddedEngine(*record) ? exportedBots(*record)
                                                                          : history::FoundBotSources();
    file.bots = bots.sources;
    if (!history::writeRunFile(filePath, file, m_secrets ? m_secrets() : QStringList(), &error)) {
        say(error, true);
        return false;
    }
    QString message = tr("Exported the run to %1 with %n replay-cache entries.", nullptr,
                         int(entries->entries.size())).arg(filePath);
    if (store)
        message += u' ' + tr("Read from %1.").arg(store->location());
    if (!file.bots.isEmpty()) {
        QStringList keys;
        for (const history::BotSource &bot : std::as_const(file.bots))
            keys << bot.key;
        message += u' ' + tr("With the definitions of %1.").arg(keys.join(u", "_s));
    }
    if (!bots.notCarried.isEmpty())
        message += u' ' + tr("Not in the file (a re-run needs it where it runs): %1.").arg(bots.notCarried.join(u"; "_s));
    if (!entries->missing.isEmpty())
        message += u' ' + tr("No entry for %1: a re-run of the file in replay mode runs them live.")
                              .arg(entries->missing.join(u", "_s));
    say(message, false);
    return true;
}

history::FoundBotSources HistoryPanel::exportedBots(const history::RunRecord &record) const
{
    const QStringList folders = m_botFolders ? m_botFolders() : paths::defaultBotFolders();
    // Those the history kept with the run first (as it ran them, or an imported file's),
    // then the folders' files still at the run's versions (core/history/botsources.h).
    return history::runBotSources(record, keptBots(record), folders);
}

QList<history::BotSource> HistoryPanel::keptBots(const history::RunRecord &record) const
{
    const auto kept = m_store ? m_store->bots(record.summary.invocationId, nullptr) : std::nullopt;
    return kept.value_or(QList<history::BotSource>());
}

bool HistoryPanel::openRunFile(const QString &filePath)
{
    QString error;
    const auto file = history::readRunFile(filePath, &error);
    if (!file) {
        say(error, true);
        return false;
    }
    // Its cache entries go with its request: a re-run in replay mode is answered from
    // them, in a cache of their own (docs/runs.md, Re-running a run file).
    history::RunRecord record = file->record;
    // Always the file's own store, even with no entries: never the user's cache (docs/runs.md).
    record.request.replayEntries = file->cacheEntries.is_array() ? file->cacheEntries : Json::array();
    Q_EMIT runFileOpened(record, file->bots);
    return true;
}

void HistoryPanel::updateButtons()
{
    const QStringList ids = selectedIds();
    const bool usable = m_unavailable.isEmpty();
    m_reopen->setEnabled(usable && ids.size() == 1);
    m_rerun->setEnabled(usable && ids.size() == 1);
    m_export->setEnabled(usable && ids.size() == 1);
    m_compare->setEnabled(usable && ids.size() == 2);
    m_pin->setEnabled(usable && !ids.isEmpty());
    m_delete->setEnabled(usable && !ids.isEmpty());
    const int row = ids.isEmpty() ? -1 : m_model->rowOf(ids.first());
    m_pin->setText(row >= 0 && m_model->runAt(row).pinned ? tr("Unpin") : tr("Pin"));
}

} // namespace invoke::ui
