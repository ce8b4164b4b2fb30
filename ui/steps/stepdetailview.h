#pragma once
#include "core/model/invocation/invokeresult.h"

#include <QtWidgets/QWidget>

class QLabel;
class QPlainTextEdit;
class QTabWidget;

namespace invoke::ui {

class EventListModel;

// One step in full: what it is (key, action, status with icon and colour, source,
// duration, tokens), its error in plain words, its rendered parameters and its output
// pretty-printed, and its own events.
class StepDetailView : public QWidget
{
    Q_OBJECT
public:
    explicit StepDetailView(EventListModel *events, QWidget *parent = nullptr);

    void setStep(const StepRecord &step);
    void clear();
    QString currentPath() const { return m_path; }

    QString headerText() const;
    QString parametersText() const;
    QString outputText() const;
    QString eventsText() const;
    QTabWidget *tabs() const { return m_tabs; }

private:
    EventListModel *m_events;
    QString m_path;
    QLabel *m_title;
    QLabel *m_facts;
    QLabel *m_error;
    QLabel *m_replayMiss = nullptr; // why replay missed (metadata.replay_miss)
    QTabWidget *m_tabs;
    QPlainTextEdit *m_parameters;
    QPlainTextEdit *m_output;
    QPlainTextEdit *m_stepEvents;
};

} // namespace invoke::ui
