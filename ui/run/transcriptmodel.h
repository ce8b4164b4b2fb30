#pragma once
#include "core/model/invocation/invokeresult.h"
#include "core/model/invocation/message.h"

#include <QtCore/QAbstractListModel>

namespace invoke::ui {

// The conversation, one row per turn: the user's messages, the assistant's answer of
// each run (growing while the run streams), and an error turn when a run fails.
//
// An answer is the run's *visible* message content (hidden content stays in the step
// tree and the events). While it streams, a batch appends its chunks to the turn with
// one dataChanged; finishTurn() marks it finished (the view then renders Markdown) and
// replaces the streamed text by the result's messages, each message whole, in order.
class TranscriptModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum class Speaker { User, Assistant, Error };
    enum Role {
        SpeakerRole = Qt::UserRole + 1, // QString: "user", "assistant" or "error"
        FinishedRole,                   // bool: the turn is complete (user and error turns always are)
        ErrorRole,                      // bool: the turn reports a failed run
        CancelledRole,                  // bool: an answer cut short by Stop
        MarkdownRole,                   // QString: the text as Markdown (JSON messages fenced)
    };

    explicit TranscriptModel(QObject *parent = nullptr);

    void addUserTurn(const QString &text);
    // Appends the visible message content of a batch to the current answer, starting
    // one when none is open.
    void addEvents(const QList<Event> &events);
    // Ends the current run: the answer becomes finished (cancelled when the run was
    // stopped), and a failed run adds an error turn with result.error.
    void finishTurn(const InvokeResult &result);
    // "New conversation".
    void clear();

    // What the next invocation sends as `messages`: the user turns and the finished
    // answers, in order (error turns and empty answers left out).
    QList<Message> conversation() const;
    // True while an answer is open (between its first chunk and finishTurn()).
    bool isStreaming() const;
    Speaker speakerAt(int row) const { return m_turns.at(row).speaker; }
    QString textAt(int row) const { return m_turns.at(row).text; }

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    struct Turn
    {
        Speaker speaker = Speaker::User;
        QString text;
        bool finished = true;
        bool cancelled = false;
        QString lastMessageId;            // while streaming: where the last chunk went
        QList<StepMessage> messages;      // once finished: the visible messages, whole
    };
    // The turns as they are, kept aside and put back with restore() (the studio keeps
    // one conversation per bot: ui/window/botconversations.h). Not taken while streaming.
    using Snapshot = QList<Turn>;
    Snapshot snapshot() const { return m_turns; }
    void restore(Snapshot turns);

private:

    void appendTurn(Turn turn);
    Turn *openAnswer();
    void changed(int row);

    QList<Turn> m_turns;
};

} // namespace invoke::ui
