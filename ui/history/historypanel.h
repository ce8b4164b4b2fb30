#pragma once
// The History panel (docs/runs.md): the recorded runs, newest first, searched by bot,
// text (request, result, error), outcome and start date; reopen a run into the window's
// views, re-run it, pin it (kept past the size cap), delete it, export it to a run file,
// open a run file (its cache entries then go with its request, for a re-run in replay
// mode), and compare two selected runs. It reads the history file itself (a
// read connection on the GUI thread: a search is a few ms even with 10,000 runs,
// tests/bench/bench_history); the window's RunHistory writes it. An unavailable history
// (locked, damaged, a newer version) is said in a banner, with the reason.
#include "core/config/paths.h"
#include "core/history/botsources.h"
#include "core/history/historystore.h"

#include <QtWidgets/QWidget>

#include <functional>
#include <memory>

class QComboBox;
class QDateEdit;
class QCheckBox;
class QLineEdit;
class QPushButton;
class QTableView;

namespace invoke::ui {

class Banner;
class HistoryListModel;

class HistoryPanel : public QWidget
{
    Q_OBJECT
public:
    explicit HistoryPanel(const QString &historyFile, QWidget *parent = nullptr);
    ~HistoryPanel() override;

    HistoryListModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }

    // The search the inputs say, and setting them (for tests and saved state).
    history::HistoryQuery query() const;
    void setQuery(const history::HistoryQuery &query);
    // Lists again with the current search (after a run was recorded).
    void refresh();
    // The history cannot be used: says why, and lists nothing.
    void setUnavailable(const QString &reason);
    QString unavailableReason() const { return m_unavailable; }

    // The selected runs' invocation ids, in list order.
    QStringList selectedIds() const;
    void select(const QStringList &invocationIds);

    // The actions on the selection, also the buttons' (false with a reason shown).
    bool reopenSelected();
    bool rerunSelected();
    bool compareSelected();
    bool togglePinSelected();
    bool deleteSelected();
    // Writes a run file with the replay-cache entries the run's replay steps used, read
    // (for a run of the embedded engine) from the replay cache the studio uses, or made
    // from the recording, and (for a run of the embedded engine) the definitions of its
    // bots as they ran (exportedBots). A cache that cannot be read fails the export,
    // naming it: no file is written.
    bool exportSelected(const QString &filePath);
    // The bots folders the studio's embedded engine reads, asked at each export:
    // app/studio/main.cpp hands the engine's own (LocalBackend::botFolders(): the bundled
    // examples, the user's bots folder, --bots folders). Unset: paths::defaultBotFolders().
    void setBotFoldersSource(std::function<QStringList()> folders) { m_botFolders = std::move(folders); }
    // What an export masks besides the history's own masking: the LLM key, a profile's token.
    void setSecretsSource(std::function<QStringList()> secrets) { m_secrets = std::move(secrets); }
    // The replay cache the studio's embedded engine uses (a file or a cache URL,
    // core/cache/cacheurl.h), asked at each export: app/studio/main.cpp hands the engine's
    // own (LocalBackend::replayCacheFile(): INVOKE_CACHE_URL, else the URL saved in
    // Preferences with its password from the keychain, else the default file;
    // core/backend/localcachesetting.h), so a team's PostgreSQL cache is read too.
    // Unset: the default file, paths::replayCacheFile().
    void setReplayCacheSource(std::function<QString()> cacheUrl) { m_replayCacheUrl = std::move(cacheUrl); }
    void setReplayCacheUrl(const QString &cacheUrl) { m_replayCacheUrl = [cacheUrl] { return cacheUrl; }; }
    // Opens a run file (*.invokerun): reopened as a run of its own (not added to the
    // history), with runFileOpened.
    bool openRunFile(const QString &filePath);
    // The bot definitions the history kept with `record`'s run (none: empty).
    QList<history::BotSource> keptBots(const history::RunRecord &record) const;

    QString lastMessage() const { return m_message; }

Q_SIGNALS:
    void reopenRequested(const invoke::history::RunRecord &record);
    // A run file was opened: its run (its cache entries in the request's replayEntries)
    // and the bot definitions it carries, for a re-run (docs/runs.md).
    void runFileOpened(const invoke::history::RunRecord &record, const QList<invoke::history::BotSource> &bots);
    void rerunRequested(const invoke::history::RunRecord &record);
    void compareRequested(const invoke::history::RunRecord &a, const invoke::history::RunRecord &b);

private:
    bool ensureOpen();
    std::optional<history::RunRecord> load(const QString &id);
    void say(const QString &message, bool error);
    void updateButtons();
    // The definitions of the bots a run of the embedded engine ran, as a run file carries
    // them: those the history kept with the run (as it ran them, a re-run run file's, an
    // imported file's) first, then, for a bot with none kept (a run recorded before the
    // history kept them), its file in the engine's folders still at the version the run
    // recorded (history::runBotSources, as invoke-cli runs export finds them).
    history::FoundBotSources exportedBots(const history::RunRecord &record) const;

    QString m_file;
    std::function<QString()> m_replayCacheUrl;
    std::function<QStringList()> m_botFolders;
    std::function<QStringList()> m_secrets;
    std::unique_ptr<history::HistoryStore> m_store;
    QString m_unavailable;
    QString m_message;
    HistoryListModel *m_model;
    Banner *m_banner;
    QLineEdit *m_bot;
    QLineEdit *m_text;
    QComboBox *m_outcome;
    QCheckBox *m_useDates;
    QDateEdit *m_from;
    QDateEdit *m_to;
    QTableView *m_view;
    QPushButton *m_reopen, *m_rerun, *m_compare, *m_pin, *m_delete, *m_export, *m_open;
};

} // namespace invoke::ui

Q_DECLARE_METATYPE(invoke::history::RunRecord)
