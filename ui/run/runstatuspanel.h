#pragma once
#include "core/model/invocation/invokeresult.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QTimer>
#include <QtWidgets/QWidget>

class QLabel;

namespace invoke::ui {

// The status bar's view of the current run: its state (icon, colour and word), the
// invocation id, the elapsed time (ticking while it runs) and the event count.
// Each label keeps the width of the widest text it shows (measured with its font: every
// state word, an invocation id, "59.9 s", "999999 event(s)"), so the bar neither clips a
// text that grew before the status bar is laid out again nor shifts while a run ticks.
class RunStatusPanel : public QWidget
{
    Q_OBJECT
public:
    explicit RunStatusPanel(QWidget *parent = nullptr);

    void setIdle();
    void setRunning();
    void setInvocationId(const QString &id);
    void setEventCount(qint64 count);
    void setFinished(const InvokeResult &result);

    QString stateText() const;
    QString invocationIdText() const;
    QString elapsedText() const;
    QString eventCountText() const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void showState(std::optional<StepStatus> status, const QString &text);
    void tick();
    // The labels' minimum widths from their fonts (again when the font or style changes).
    void reserveWidths();

    std::optional<StepStatus> m_status;
    QString m_statusText;
    QLabel *m_stateIcon;
    QLabel *m_state; // plain text in bold, coloured by the state
    QLabel *m_id;
    QLabel *m_elapsed;
    QLabel *m_events;
    QElapsedTimer m_clock;
    QTimer m_ticker;
};

} // namespace invoke::ui
