#pragma once
#include "ui/run/transcriptmodel.h"

#include <QtCore/QHash>

namespace invoke::ui {

// One conversation per bot: the studio's transcript shows the chosen bot's, so a bot is
// never sent another bot's history. switchTo() keeps the transcript's turns under the
// bot shown until now and puts back the new bot's (or none: a fresh conversation);
// forget() is New conversation. Kept in memory for the session only.
class BotConversations
{
public:
    explicit BotConversations(TranscriptModel *transcript) : m_transcript(transcript) {}

    // The transcript now shows `bot`'s conversation. False when nothing was switched away:
    // `bot` is the one shown, or the first bot picked (the transcript stays as its own).
    bool switchTo(const QString &bot);
    // The shown bot's conversation is over: the transcript is cleared, nothing kept.
    void forget();
    QString currentBot() const { return m_current; }
    // How many bots' conversations are kept aside (not the shown one).
    qsizetype keptCount() const { return m_kept.size(); }

private:
    TranscriptModel *m_transcript;
    QString m_current;
    QHash<QString, TranscriptModel::Snapshot> m_kept;
};

} // namespace invoke::ui
