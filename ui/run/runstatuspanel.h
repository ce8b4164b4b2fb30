#pragma once
#include "core/model/invocation/invokeresult.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QTimer>
#include <QtWidgets/QWidget>

class QLabel;

namespace invoke::ui {

// The status bar's view of the current run: its state (icon, colour and word), the
// invocation id, the elapsed time (ticking while it runs) and the event count.
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

    std::optional<StepStatus> m_status;
    QString m_statusText;
    QLabel *m_state;
    QLabel *m_id;
    QLabel *m_elapsed;
    QLabel *m_events;
    QElapsedTimer m_clock;
    QTimer m_ticker;
};

} // namespace invoke::ui
