#pragma once
#include <QtCore/QObject>

class QSocketNotifier;

namespace invoke::cli {

// Turns the first SIGINT or SIGTERM into interrupted() on the event loop (a signal
// handler may only write to a pipe), so a run can be cancelled cleanly and its partial
// output printed. A second Ctrl+C ends the process the usual way.
class InterruptWatcher : public QObject
{
    Q_OBJECT
public:
    explicit InterruptWatcher(QObject *parent = nullptr);
    ~InterruptWatcher() override;

Q_SIGNALS:
    void interrupted();

private:
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace invoke::cli
