#pragma once
// Which bot keys exist, so that POST /bots/{key}/invoke answers 404 before any stream
// starts. A key seen lately answers at once; any other key reads the bot folders again
// (one read at a time, shared by every request waiting on it), so a bot added a moment
// ago is found.
#include "core/model/botinfo.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QHash>
#include <QtCore/QObject>
#include <QtCore/QPointer>

#include <functional>

namespace invoke {
class Backend;
}

namespace invoke::server {

class BotIndex : public QObject
{
    Q_OBJECT
public:
    // found, or the reason the bot is missing ("bot \"x\" not found", or why its file
    // did not load).
    using Answer = std::function<void(bool found, const QString &why)>;

    explicit BotIndex(Backend *backend, QObject *parent = nullptr);

    // Answers on this thread, at once when it can; never after `context` is destroyed.
    void check(const QString &key, QObject *context, Answer answer);
    // The `updated_at` of bot `key` as a run started now reads it (its file's time, read
    // again here: the index may be a few seconds old), ISO 8601 with milliseconds, UTC;
    // empty for a key the index does not hold. The invoke answer carries it
    // (Invoke-Bot-Updated-At), so a client knows the plan it holds is still the bot's.
    QString updatedAtOf(const QString &key) const;

private:
    void reload();
    void loaded(const BotListing &listing);

    struct Waiting
    {
        QString key;
        QPointer<QObject> context;
        Answer answer;
    };
    Backend *m_backend;
    QHash<QString, QString> m_keys; // key -> its bot file
    QList<LoadProblem> m_problems;
    QElapsedTimer m_loadedAt;
    bool m_loading = false;
    QList<Waiting> m_waiting;
};

} // namespace invoke::server
