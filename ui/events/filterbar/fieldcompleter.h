#pragma once
// Completes field names of the display-filter language (core/filter/filterfields.h) in a
// line edit: the word under the cursor, not the whole text, and never inside a string.
#include <QtCore/QObject>

class QCompleter;
class QLineEdit;

namespace invoke::ui {

class FieldCompleter : public QObject
{
    Q_OBJECT
public:
    explicit FieldCompleter(QLineEdit *edit);

    QCompleter *completer() const { return m_completer; }

    // The field-name word that ends at `cursor` in `text`: its start, or -1 when the cursor
    // is not at the end of a word that could be a field (inside a quoted string, after a
    // digit, on an operator word).
    static qsizetype wordStart(const QString &text, qsizetype cursor);

private:
    void update();
    void insert(const QString &completion);

    QLineEdit *m_edit;
    QCompleter *m_completer;
};

} // namespace invoke::ui
