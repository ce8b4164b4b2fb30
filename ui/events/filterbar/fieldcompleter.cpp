#include "ui/events/filterbar/fieldcompleter.h"

#include "core/filter/filterfields.h"

#include <QtCore/QStringListModel>
#include <QtWidgets/QAbstractItemView>
#include <QtWidgets/QCompleter>
#include <QtWidgets/QLineEdit>

using namespace Qt::StringLiterals;

namespace invoke::ui {

namespace {

bool isWordChar(QChar c)
{
    return c.isLetterOrNumber() || c == u'_' || c == u'.' || c == u'-';
}

} // namespace

FieldCompleter::FieldCompleter(QLineEdit *edit)
    : QObject(edit), m_edit(edit), m_completer(new QCompleter(this))
{
    auto *fields = new QStringListModel(filter::fieldNames(), m_completer);
    m_completer->setModel(fields);
    m_completer->setCaseSensitivity(Qt::CaseInsensitive);
    m_completer->setCompletionMode(QCompleter::PopupCompletion);
    m_completer->setWidget(edit); // not setCompleter(): that would complete the whole text
    m_completer->popup()->setObjectName(u"filterCompletions"_s);
    connect(edit, &QLineEdit::textEdited, this, &FieldCompleter::update);
    connect(m_completer, qOverload<const QString &>(&QCompleter::activated), this, &FieldCompleter::insert);
}

qsizetype FieldCompleter::wordStart(const QString &text, qsizetype cursor)
{
    // Inside a string when an odd number of unescaped quotes stand before the cursor.
    bool inString = false;
    for (qsizetype i = 0; i < cursor && i < text.size(); ++i) {
        if (text.at(i) == u'\\' && inString)
            ++i;
        else if (text.at(i) == u'"')
            inString = !inString;
    }
    if (inString)
        return -1;
    if (cursor < text.size() && isWordChar(text.at(cursor)))
        return -1; // in the middle of a word: leave it alone
    qsizetype start = cursor;
    while (start > 0 && isWordChar(text.at(start - 1)))
        --start;
    if (start == cursor || !(text.at(start).isLetter() || text.at(start) == u'_'))
        return -1;
    static const QStringList operatorWords{u"and"_s, u"or"_s, u"not"_s, u"in"_s, u"contains"_s, u"matches"_s};
    if (operatorWords.contains(text.mid(start, cursor - start)))
        return -1;
    return start;
}

void FieldCompleter::update()
{
    const QString text = m_edit->text();
    const qsizetype cursor = m_edit->cursorPosition();
    const qsizetype start = wordStart(text, cursor);
    if (start < 0) {
        m_completer->popup()->hide();
        return;
    }
    const QString word = text.mid(start, cursor - start);
    m_completer->setCompletionPrefix(word);
    if (m_completer->completionCount() == 0
        || (m_completer->completionCount() == 1 && m_completer->currentCompletion() == word)) {
        m_completer->popup()->hide();
        return;
    }
    m_completer->complete();
}

void FieldCompleter::insert(const QString &completion)
{
    const QString text = m_edit->text();
    const qsizetype cursor = m_edit->cursorPosition();
    const qsizetype start = wordStart(text, cursor);
    if (start < 0)
        return;
    // A prefix ("payload.") waits for its member; a field gets a space after it.
    const QString tail = completion.endsWith(u'.') ? QString() : u" "_s;
    const QString updated = text.left(start) + completion + tail + text.mid(cursor);
    m_edit->setText(updated);
    m_edit->setCursorPosition(int(start + completion.size() + tail.size()));
}

} // namespace invoke::ui
