#pragma once
// The events view's filter bar: a display filter (docs/filters.md) checked as you type.
// Green when it parses, red when not, with the error's place underlined and what was
// expected said under the bar; field names complete; a menu of saved filters; next and
// previous match. A text that does not parse never filters: the last valid filter stays.
#include "core/filter/filter.h"

#include <QtCore/QTimer>
#include <QtWidgets/QWidget>

#include <optional>

class QCheckBox;
class QLabel;
class QLineEdit;
class QMenu;
class QSettings;
class QToolButton;

namespace invoke::ui {

class FieldCompleter;
class SavedFilters;

// Underlines, bold in `colour`, the character of `edit`'s text a filter's parse error
// points at (its last one when `position` is the end); nullopt takes the mark away. The
// filter bar and the colouring rules' filter field (ui/colouring/filterfield.h) mark
// their errors so. The text, its undo and the cursor stay as they are.
void markFilterError(QLineEdit *edit, std::optional<qsizetype> position, const QColor &colour);

class FilterBar : public QWidget
{
    Q_OBJECT
public:
    enum class State { Empty, Valid, Invalid };

    explicit FilterBar(QWidget *parent = nullptr);

    // Saved filters read from and written to `settings` (nullptr: kept in memory).
    void setSettings(QSettings *settings);

    QLineEdit *edit() const { return m_edit; }
    State state() const { return m_state; }
    // The filter last handed on (filterChanged): what the view shows while the text does
    // not parse.
    const filter::Filter &lastValid() const { return m_applied; }
    // The parse error of the current text (position -1 when it parses).
    const filter::ParseError &error() const { return m_error; }
    // The line under the bar: the error while the text does not parse, else what
    // setStatus() said.
    QString message() const;
    // What the view says while the text parses: counts, progress, a too costly pattern.
    void setStatus(const QString &text, bool problem = false);

    SavedFilters *savedFilters() const { return m_saved; }
    QMenu *savedMenu() const { return m_savedMenu; }
    FieldCompleter *completer() const { return m_completer; }
    QToolButton *nextButton() const { return m_next; }
    QToolButton *previousButton() const { return m_previous; }
    QCheckBox *hideOthersBox() const { return m_hideOthers; }
    // The step tree hides the steps with no matching event too.
    QCheckBox *hideStepsBox() const { return m_hideSteps; }

    // Applies the text now instead of after the typing pause (Enter does the same).
    void applyNow();

signals:
    // A new valid filter to show (after a short pause in the typing, or Enter).
    void filterChanged(const invoke::filter::Filter &filter);
    void nextRequested();
    void previousRequested();
    void hideOthersChanged(bool hide);
    void hideStepsChanged(bool hide);

private:
    void check();
    void markError();
    void paint();
    void hand(const filter::Filter &filter);
    void rebuildSavedMenu();
    void askToSave();

    QLineEdit *m_edit;
    QToolButton *m_previous;
    QToolButton *m_next;
    QCheckBox *m_hideOthers;
    QCheckBox *m_hideSteps;
    QToolButton *m_savedButton;
    QMenu *m_savedMenu;
    QLabel *m_message;
    FieldCompleter *m_completer;
    SavedFilters *m_saved;
    QTimer m_pause;
    State m_state = State::Empty;
    filter::Filter m_parsed;  // the text, when it last parsed
    filter::Filter m_applied; // the last one handed on
    filter::ParseError m_error;
    QString m_help; // the edit's tooltip while the text parses
    QString m_status;
    bool m_statusIsProblem = false;
};

} // namespace invoke::ui
