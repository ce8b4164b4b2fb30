#include "ui/events/filterbar/filterbar.h"

#include "ui/common/icons.h"
#include "ui/events/filterbar/fieldcompleter.h"
#include "ui/events/filterbar/savedfilters.h"

#include <QtCore/QCoreApplication>
#include <QtGui/QInputMethodEvent>
#include <QtGui/QTextCharFormat>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QInputDialog>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QMenu>
#include <QtWidgets/QToolButton>
#include <QtWidgets/QVBoxLayout>

using namespace Qt::StringLiterals;

namespace invoke::ui {

namespace {

// `base` tinted towards `tint`: reads on light and dark palettes alike.
QColor tinted(const QColor &base, const QColor &tint, double amount)
{
    return QColor::fromRgbF(float(base.redF() * (1 - amount) + tint.redF() * amount),
                            float(base.greenF() * (1 - amount) + tint.greenF() * amount),
                            float(base.blueF() * (1 - amount) + tint.blueF() * amount));
}

const QColor kValid(0x2e, 0xa0, 0x43);
const QColor kInvalid(0xd0, 0x30, 0x30);

} // namespace

FilterBar::FilterBar(QWidget *parent)
    : QWidget(parent), m_edit(new QLineEdit(this)), m_previous(new QToolButton(this)), m_next(new QToolButton(this)),
      m_hideOthers(new QCheckBox(tr("Only matches"), this)), m_hideSteps(new QCheckBox(tr("Steps too"), this)),
      m_savedButton(new QToolButton(this)),
      m_savedMenu(new QMenu(this)), m_message(new QLabel(this)), m_completer(new FieldCompleter(m_edit)),
      m_saved(new SavedFilters(this))
{
    m_edit->setObjectName(u"eventFilter"_s);
    m_edit->setPlaceholderText(tr("Filter: type == \"step_finished\" and duration_ms > 100"));
    m_edit->setClearButtonEnabled(true);
    m_edit->addAction(icon(u"search"_s), QLineEdit::LeadingPosition);
    m_help = tr("A display filter, e.g. step ^= \"research/\" and duration_ms > 100\n"
                          "Fields: type, step, action, source, status, seq, t_ms, duration_ms, tokens.in,\n"
                          "tokens.out, text, payload.<member>, metadata.<member>\n"
                          "Operators: == != < <= > >= ^= contains matches in {…} and or not ( )");
    m_edit->setToolTip(m_help);

    m_previous->setObjectName(u"previousMatch"_s);
    m_previous->setArrowType(Qt::UpArrow);
    m_previous->setToolTip(tr("Previous match (Shift+F3)"));
    m_previous->setAutoRaise(true);
    m_next->setObjectName(u"nextMatch"_s);
    m_next->setArrowType(Qt::DownArrow);
    m_next->setToolTip(tr("Next match (F3)"));
    m_next->setAutoRaise(true);
    m_hideOthers->setObjectName(u"onlyMatches"_s);
    m_hideOthers->setChecked(true);
    m_hideOthers->setToolTip(tr("Show only the matching events; unchecked, every event shows and the matches are bold"));

    m_hideSteps->setObjectName(u"hideSteps"_s);
    m_hideSteps->setToolTip(tr("The Steps tab shows only the steps with a matching event (and the steps above them)"));

    m_savedButton->setObjectName(u"savedFilters"_s);
    m_savedButton->setText(tr("Saved"));
    m_savedButton->setToolTip(tr("Saved filters"));
    m_savedButton->setPopupMode(QToolButton::InstantPopup);
    m_savedButton->setMenu(m_savedMenu);
    m_savedMenu->setObjectName(u"savedFiltersMenu"_s);

    m_message->setObjectName(u"filterMessage"_s);
    m_message->setTextFormat(Qt::PlainText);
    m_message->setWordWrap(true);

    auto *row = new QHBoxLayout;
    row->setContentsMargins(0, 0, 0, 0);
    row->setSpacing(2);
    row->addWidget(m_edit, 1);
    row->addWidget(m_previous);
    row->addWidget(m_next);
    row->addWidget(m_hideOthers);
    row->addWidget(m_hideSteps);
    row->addWidget(m_savedButton);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(row);
    layout->addWidget(m_message);

    // Checking is instant; filtering waits for a pause (the old work is dropped anyway).
    m_pause.setSingleShot(true);
    m_pause.setInterval(150);
    connect(m_edit, &QLineEdit::textChanged, this, &FilterBar::check);
    connect(m_edit, &QLineEdit::returnPressed, this, &FilterBar::applyNow);
    connect(&m_pause, &QTimer::timeout, this, [this] { hand(m_parsed); });
    connect(m_previous, &QToolButton::clicked, this, &FilterBar::previousRequested);
    connect(m_next, &QToolButton::clicked, this, &FilterBar::nextRequested);
    connect(m_hideOthers, &QCheckBox::toggled, this, &FilterBar::hideOthersChanged);
    connect(m_hideSteps, &QCheckBox::toggled, this, &FilterBar::hideStepsChanged);
    connect(m_saved, &SavedFilters::changed, this, &FilterBar::rebuildSavedMenu);
    rebuildSavedMenu();
    check();
}

void FilterBar::setSettings(QSettings *settings)
{
    m_saved->setSettings(settings);
}

void FilterBar::applyNow()
{
    if (m_state == State::Invalid)
        return;
    m_pause.stop();
    hand(m_parsed);
}

void FilterBar::hand(const filter::Filter &filter)
{
    m_applied = filter;
    emit filterChanged(filter);
    paint();
}

void FilterBar::check()
{
    const QString text = m_edit->text();
    std::optional<filter::Filter> parsed = filter::Filter::parse(text, &m_error);
    if (parsed) {
        m_error = {};
        m_error.position = -1;
        m_state = parsed->isEmpty() ? State::Empty : State::Valid;
        m_parsed = *parsed;
        if (parsed->text().trimmed() != m_applied.text().trimmed() || m_state == State::Empty)
            m_pause.start();
        else
            m_pause.stop(); // back to what is shown: nothing to do
    } else {
        // The last filter handed on stays; a valid text typed on the way to this one
        // is not applied after all.
        m_state = State::Invalid;
        m_pause.stop();
    }
    markError();
    paint();
}

// QLineEdit takes text formats only from an input method event; its positions count from
// the cursor.
void markFilterError(QLineEdit *edit, std::optional<qsizetype> position, const QColor &colour)
{
    QList<QInputMethodEvent::Attribute> attributes;
    if (position) {
        const qsizetype size = edit->text().size();
        qsizetype at = qMin(*position, size);
        if (at == size && size > 0)
            --at; // the end of the text: mark its last character
        QTextCharFormat format;
        format.setUnderlineStyle(QTextCharFormat::WaveUnderline);
        format.setUnderlineColor(colour);
        format.setForeground(colour);
        format.setFontWeight(QFont::Bold);
        attributes.append({QInputMethodEvent::TextFormat, int(at - edit->cursorPosition()), 1, format});
    }
    QInputMethodEvent event(QString(), attributes);
    QCoreApplication::sendEvent(edit, &event);
}

// Underlines the character the error points at.
void FilterBar::markError()
{
    markFilterError(m_edit, m_state == State::Invalid ? std::optional(m_error.position) : std::nullopt, kInvalid);
}

void FilterBar::paint()
{
    QPalette palette = m_edit->palette();
    const QColor base = QWidget::palette().color(QPalette::Base);
    switch (m_state) {
    case State::Empty: palette.setColor(QPalette::Base, base); break;
    case State::Valid: palette.setColor(QPalette::Base, tinted(base, kValid, 0.22)); break;
    case State::Invalid: palette.setColor(QPalette::Base, tinted(base, kInvalid, 0.22)); break;
    }
    m_edit->setPalette(palette);

    QPalette messagePalette = m_message->palette();
    const QColor text = QWidget::palette().color(QPalette::WindowText);
    const bool problem = m_state == State::Invalid || m_statusIsProblem;
    messagePalette.setColor(QPalette::WindowText, problem ? kInvalid : text);
    m_message->setPalette(messagePalette);
    m_message->setText(message());
    m_message->setVisible(!m_message->text().isEmpty());
    m_edit->setToolTip(m_state == State::Invalid ? message() : m_help);
}

QString FilterBar::message() const
{
    if (m_state == State::Invalid) {
        QString text = tr("Column %1: %2").arg(m_error.column()).arg(m_error.message);
        if (!m_applied.isEmpty())
            text += tr(" — still showing: %1").arg(m_applied.text().trimmed());
        return text;
    }
    return m_status;
}

void FilterBar::setStatus(const QString &text, bool problem)
{
    m_status = text;
    m_statusIsProblem = problem;
    paint();
}

void FilterBar::rebuildSavedMenu()
{
    m_savedMenu->clear();
    QAction *save = m_savedMenu->addAction(tr("Save this filter…"), this, &FilterBar::askToSave);
    save->setObjectName(u"saveFilter"_s);
    m_savedMenu->addSeparator();
    QMenu *remove = nullptr;
    for (const SavedFilters::Entry &entry : m_saved->entries()) {
        QAction *use = m_savedMenu->addAction(entry.name, this, [this, text = entry.text] {
            m_edit->setText(text);
            applyNow();
        });
        use->setToolTip(entry.text);
        use->setStatusTip(entry.text);
        if (!remove)
            remove = new QMenu(tr("Remove"), m_savedMenu);
        remove->addAction(entry.name, this, [this, name = entry.name] { m_saved->remove(name); });
    }
    if (remove) {
        m_savedMenu->addSeparator();
        m_savedMenu->addMenu(remove);
    }
    m_savedMenu->setToolTipsVisible(true);
    connect(m_savedMenu, &QMenu::aboutToShow, save, [this, save] { save->setEnabled(m_state == State::Valid); });
}

void FilterBar::askToSave()
{
    if (m_state != State::Valid)
        return;
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("Save filter"), tr("Name:"), QLineEdit::Normal,
                                               m_edit->text().trimmed().left(40), &ok);
    if (ok && !name.trimmed().isEmpty())
        m_saved->save(name, m_edit->text().trimmed());
}

} // namespace invoke::ui
