#include "ui/window/botconversations.h"

namespace invoke::ui {

bool BotConversations::switchTo(const QString &bot)
{
    if (bot == m_current)
        return false;
    if (m_current.isEmpty()) {
        // The first bot picked: what the transcript shows (a run reopened or run again while
        // the bots were being listed, ui/window/historyworkflow.cpp) is its conversation.
        m_current = bot;
        return false;
    }
    if (!m_current.isEmpty() && m_transcript->rowCount() > 0)
        m_kept.insert(m_current, m_transcript->snapshot());
    else
        m_kept.remove(m_current);
    m_current = bot;
    m_transcript->restore(m_kept.take(bot));
    return true;
}

void BotConversations::forget()
{
    m_kept.remove(m_current);
    m_transcript->clear();
}

} // namespace invoke::ui
