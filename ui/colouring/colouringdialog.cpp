#include "ui/colouring/colouringdialog.h"

#include "ui/colouring/colouringrules.h"
#include "ui/colouring/filterfield.h"

#include "core/filter/filter.h"

#include <QtGui/QPainter>
#include <QtWidgets/QColorDialog>
#include <QtWidgets/QDialogButtonBox>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QGroupBox>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QMenu>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QStyle>
#include <QtWidgets/QToolButton>
#include <QtWidgets/QTreeWidget>
#include <QtWidgets/QVBoxLayout>

using namespace Qt::StringLiterals;

namespace invoke::ui {

namespace {

// Swatches offered first: light tints for backgrounds, dark shades for text.
const QList<QColor> kBackgrounds = {QColor(0xff, 0xd7, 0xd4), QColor(0xff, 0xec, 0xb3), QColor(0xd9, 0xe6, 0xff),
                                    QColor(0xd7, 0xf5, 0xdc), QColor(0xec, 0xdc, 0xff), QColor(0xe4, 0xe4, 0xe4)};
const QList<QColor> kForegrounds = {QColor(0x7a, 0x0b, 0x0b), QColor(0x5c, 0x40, 0x00), QColor(0x0b, 0x33, 0x7a),
                                    QColor(0x0f, 0x5a, 0x22), QColor(0x4b, 0x1f, 0x7a), QColor(0x20, 0x20, 0x20)};

QIcon swatch(const QColor &colour)
{
    QPixmap pixmap(16, 16);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setPen(QColor(0x80, 0x80, 0x80));
    if (colour.isValid()) {
        painter.setBrush(colour);
    } else {
        painter.setBrush(Qt::NoBrush);
        painter.drawLine(2, 13, 13, 2); // none: a struck-through square
    }
    painter.drawRect(1, 1, 13, 13);
    return QIcon(pixmap);
}

bool parses(const QString &text)
{
    return !text.trimmed().isEmpty() && filter::Filter::parse(text).has_value();
}

} // namespace

ColouringDialog::ColouringDialog(ColouringRules *rules, QWidget *parent)
    : QDialog(parent), m_target(rules), m_rules(rules->rules()), m_list(new QTreeWidget(this)),
      m_name(new QLineEdit(this)), m_filter(new FilterField(this)), m_foreground(new QToolButton(this)),
      m_background(new QToolButton(this)), m_preview(new QLabel(this)), m_add(new QPushButton(tr("&Add"), this)),
      m_remove(new QPushButton(tr("&Remove"), this)), m_up(new QPushButton(tr("Move &Up"), this)),
      m_down(new QPushButton(tr("Move &Down"), this)), m_defaults(new QPushButton(tr("Restore De&faults"), this)),
      m_problem(new QLabel(this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setObjectName(u"colouringDialog"_s);
    setWindowTitle(tr("Colouring Rules"));

    auto *intro = new QLabel(tr("Events a rule's filter matches are painted in its colours; the first matching "
                                "rule wins. A step takes the colours of the first rule any of its events match."),
                             this);
    intro->setWordWrap(true);

    m_list->setObjectName(u"colouringRulesList"_s);
    m_list->setColumnCount(2);
    m_list->setHeaderLabels({tr("Rule"), tr("Filter")});
    m_list->setRootIsDecorated(false);
    m_list->setUniformRowHeights(true);
    m_list->header()->setStretchLastSection(true);
    m_list->setColumnWidth(0, 160);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);

    m_add->setObjectName(u"addRule"_s);
    m_remove->setObjectName(u"removeRule"_s);
    m_up->setObjectName(u"moveRuleUp"_s);
    m_down->setObjectName(u"moveRuleDown"_s);
    m_defaults->setObjectName(u"restoreDefaultRules"_s);
    auto *side = new QVBoxLayout;
    for (QPushButton *button : {m_add, m_remove, m_up, m_down})
        side->addWidget(button);
    side->addStretch(1);
    side->addWidget(m_defaults);
    auto *top = new QHBoxLayout;
    top->addWidget(m_list, 1);
    top->addLayout(side);

    m_name->setObjectName(u"ruleName"_s);
    m_foreground->setObjectName(u"ruleForeground"_s);
    m_background->setObjectName(u"ruleBackground"_s);
    for (QToolButton *button : {m_foreground, m_background}) {
        button->setPopupMode(QToolButton::InstantPopup);
        button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    }
    m_foreground->setMenu(colourMenu(Which::Foreground));
    m_background->setMenu(colourMenu(Which::Background));
    m_preview->setObjectName(u"rulePreview"_s);
    m_preview->setAutoFillBackground(true);
    m_preview->setMargin(4);
    m_preview->setText(tr("#42  step_finished  answer  1.2 s"));
    auto *colours = new QHBoxLayout;
    colours->addWidget(m_foreground);
    colours->addWidget(m_background);
    colours->addWidget(m_preview, 1);

    auto *editor = new QGroupBox(tr("Selected rule"), this);
    auto *form = new QFormLayout(editor);
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&Filter:"), m_filter);
    form->addRow(tr("Colours:"), colours);

    m_problem->setObjectName(u"colouringProblem"_s);
    m_problem->setWordWrap(true);
    QPalette problemPalette = m_problem->palette();
    problemPalette.setColor(QPalette::WindowText, QColor(0xd0, 0x30, 0x30));
    m_problem->setPalette(problemPalette);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(top, 1);
    layout->addWidget(editor);
    layout->addWidget(m_problem);
    layout->addWidget(m_buttons);

    connect(m_list, &QTreeWidget::currentItemChanged, this, [this] { showCurrent(); });
    connect(m_list, &QTreeWidget::itemChanged, this, [this](QTreeWidgetItem *item) {
        if (m_loading)
            return;
        const int row = m_list->indexOfTopLevelItem(item);
        if (row >= 0 && row < m_rules.size() && item->data(0, Qt::CheckStateRole).isValid()) {
            m_rules[row].enabled = item->checkState(0) == Qt::Checked;
            paintItem(item, m_rules[row]);
        }
        updateState();
    });
    connect(m_name, &QLineEdit::textEdited, this, &ColouringDialog::edited);
    connect(m_filter, &FilterField::textChanged, this, [this] {
        if (!m_loading)
            edited();
    });
    connect(m_add, &QPushButton::clicked, this, [this] {
        const int at = currentRule() < 0 ? int(m_rules.size()) : currentRule() + 1;
        if (m_rules.size() >= kMaxColouringRules)
            return;
        m_rules.insert(at, ColouringRule{tr("New rule"), QString(), QColor(), kBackgrounds[4], true});
        rebuildList(at);
        m_filter->edit()->setFocus();
    });
    connect(m_remove, &QPushButton::clicked, this, [this] {
        const int row = currentRule();
        if (row < 0)
            return;
        m_rules.removeAt(row);
        rebuildList(qMin(row, int(m_rules.size()) - 1));
    });
    connect(m_up, &QPushButton::clicked, this, [this] { move(-1); });
    connect(m_down, &QPushButton::clicked, this, [this] { move(1); });
    connect(m_defaults, &QPushButton::clicked, this, [this] {
        m_rules = defaultColouringRules();
        rebuildList(0);
    });
    connect(m_buttons, &QDialogButtonBox::accepted, this, &ColouringDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &ColouringDialog::reject);

    rebuildList(m_rules.isEmpty() ? -1 : 0);
    resize(720, 520);
}

QPushButton *ColouringDialog::okButton() const
{
    return m_buttons->button(QDialogButtonBox::Ok);
}

QString ColouringDialog::problemText() const
{
    return m_problem->text();
}

int ColouringDialog::currentRule() const
{
    return m_list->indexOfTopLevelItem(m_list->currentItem());
}

void ColouringDialog::selectRule(int index)
{
    if (QTreeWidgetItem *item = m_list->topLevelItem(index))
        m_list->setCurrentItem(item);
}

QMenu *ColouringDialog::colourMenu(Which which)
{
    auto *menu = new QMenu(this);
    const QString prefix = which == Which::Foreground ? u"foreground"_s : u"background"_s;
    for (const QColor &colour : which == Which::Foreground ? kForegrounds : kBackgrounds) {
        QAction *action = menu->addAction(swatch(colour), colour.name(), this,
                                          [this, which, colour] { setColour(which, colour); });
        action->setObjectName(prefix + u'_' + colour.name().mid(1));
    }
    menu->addSeparator();
    QAction *none = menu->addAction(swatch(QColor()), tr("None (the view's own)"), this,
                                    [this, which] { setColour(which, QColor()); });
    none->setObjectName(prefix + u"_none"_s);
    QAction *other = menu->addAction(tr("Other…"), this, [this, which] {
        const int row = currentRule();
        if (row < 0)
            return;
        const QColor start = which == Which::Foreground ? m_rules[row].foreground : m_rules[row].background;
        const QColor chosen = QColorDialog::getColor(start.isValid() ? start : Qt::white, this, tr("Rule colour"));
        if (chosen.isValid())
            setColour(which, chosen);
    });
    other->setObjectName(prefix + u"_other"_s);
    return menu;
}

void ColouringDialog::setColour(Which which, const QColor &colour)
{
    const int row = currentRule();
    if (row < 0)
        return;
    (which == Which::Foreground ? m_rules[row].foreground : m_rules[row].background) = colour;
    showCurrent();
    paintItem(m_list->topLevelItem(row), m_rules[row]);
}

void ColouringDialog::rebuildList(int select)
{
    m_loading = true;
    m_list->clear();
    m_loading = true;
    for (const ColouringRule &rule : m_rules) {
        // Made whole before it joins the list: flags set on a listed item that has no
        // column yet make Qt 6.4's QTreeModel::itemChanged announce a change up to column
        // -1, an invalid index (QAbstractItemModelTester fails on it; tst_inspectorworkflow).
        auto *item = new QTreeWidgetItem;
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable);
        paintItem(item, rule);
        m_list->addTopLevelItem(item);
    }
    m_loading = false;
    if (select >= 0)
        selectRule(select);
    showCurrent();
}

void ColouringDialog::paintItem(QTreeWidgetItem *item, const ColouringRule &rule)
{
    if (!item)
        return;
    const bool wasLoading = m_loading;
    m_loading = true;
    item->setText(0, rule.name);
    item->setText(1, rule.filter);
    item->setCheckState(0, rule.enabled ? Qt::Checked : Qt::Unchecked);
    for (int column = 0; column < 2; ++column) {
        item->setBackground(column, rule.background.isValid() ? QBrush(rule.background) : QBrush());
        // A rule that is off shows its colours faded: it paints nothing now.
        QColor text = rule.foreground.isValid() ? rule.foreground : palette().color(QPalette::Text);
        if (!rule.enabled)
            text.setAlphaF(0.45f);
        item->setForeground(column, text);
    }
    const bool ok = parses(rule.filter);
    item->setIcon(1, ok ? QIcon() : style()->standardIcon(QStyle::SP_MessageBoxWarning));
    item->setToolTip(1, ok ? rule.filter : tr("Not a filter: this rule colours nothing"));
    m_loading = wasLoading;
}

void ColouringDialog::showCurrent()
{
    const int row = currentRule();
    const bool have = row >= 0 && row < m_rules.size();
    // Called while the list is rebuilt too (clearing it changes the current item): keep
    // the caller's loading state.
    const bool wasLoading = m_loading;
    m_loading = true;
    m_name->setText(have ? m_rules[row].name : QString());
    m_filter->setText(have ? m_rules[row].filter : QString());
    m_loading = wasLoading;
    for (QWidget *w : std::initializer_list<QWidget *>{m_name, m_filter, m_foreground, m_background, m_remove})
        w->setEnabled(have);
    const ColouringRule rule = have ? m_rules[row] : ColouringRule{};
    m_foreground->setIcon(swatch(rule.foreground));
    m_foreground->setText(tr("Text"));
    m_background->setIcon(swatch(rule.background));
    m_background->setText(tr("Background"));
    QPalette palette = this->palette();
    palette.setColor(QPalette::Window, rule.background.isValid() ? rule.background : palette.color(QPalette::Base));
    palette.setColor(QPalette::WindowText, rule.foreground.isValid() ? rule.foreground : palette.color(QPalette::Text));
    m_preview->setPalette(palette);
    updateState();
}

void ColouringDialog::edited()
{
    const int row = currentRule();
    if (m_loading || row < 0)
        return;
    m_rules[row].name = m_name->text();
    m_rules[row].filter = m_filter->text();
    paintItem(m_list->topLevelItem(row), m_rules[row]);
    updateState();
}

void ColouringDialog::move(int by)
{
    const int row = currentRule();
    const int to = row + by;
    if (row < 0 || to < 0 || to >= m_rules.size())
        return;
    m_rules.move(row, to);
    rebuildList(to);
}

void ColouringDialog::updateState()
{
    const int row = currentRule();
    m_up->setEnabled(row > 0);
    m_down->setEnabled(row >= 0 && row + 1 < m_rules.size());
    m_add->setEnabled(m_rules.size() < kMaxColouringRules);
    QStringList broken;
    for (const ColouringRule &rule : m_rules)
        if (rule.enabled && !parses(rule.filter))
            broken << (rule.name.isEmpty() ? tr("(unnamed)") : rule.name);
    m_problem->setText(broken.isEmpty() ? QString()
                                        : tr("Not a filter yet: %1. Fix it or turn it off to save.")
                                              .arg(broken.join(u", "_s)));
    m_problem->setVisible(!broken.isEmpty());
    okButton()->setEnabled(broken.isEmpty());
}

void ColouringDialog::accept()
{
    updateState();
    if (!okButton()->isEnabled())
        return;
    m_target->setRules(m_rules);
    QDialog::accept();
}

} // namespace invoke::ui
