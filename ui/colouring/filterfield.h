#pragma once
// A display-filter text field that checks itself as you type, as the Events tab's filter
// bar does (ui/events/filterbar/filterbar.h): green when the text is a filter, red when not, the
// error's character underlined and "Column N: expected …" under it; field names complete.
// For editors that keep a filter (the colouring rules dialog), not for filtering a view.
#include "core/filter/filter.h"

#include <QtWidgets/QWidget>

class QLabel;
class QLineEdit;

namespace invoke::ui {

class FieldCompleter;

class FilterField : public QWidget
{
    Q_OBJECT
public:
    explicit FilterField(QWidget *parent = nullptr);

    QLineEdit *edit() const { return m_edit; }
    QString text() const;
    void setText(const QString &text);
    // Whether the text is a filter (blank is not: a rule must say what it colours).
    bool isValid() const { return m_valid; }
    // The sentence under the field: why the text is not a filter, empty when it is.
    QString message() const;

signals:
    void textChanged(const QString &text);
    void validityChanged(bool valid);

private:
    void check();

    QLineEdit *m_edit;
    QLabel *m_message;
    FieldCompleter *m_completer;
    bool m_valid = false;
};

} // namespace invoke::ui
