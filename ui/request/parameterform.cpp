#include "ui/request/parameterform.h"

#include <QtGui/QFontDatabase>
#include <QtGui/QRegularExpressionValidator>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QVBoxLayout>

using namespace Qt::StringLiterals;

namespace invoke::ui {

namespace {

bool isLongText(const Json &value)
{
    return value.is_string() && (value.get<std::string>().size() > 48
                                 || value.get<std::string>().find('\n') != std::string::npos);
}

// What a field shows for a value: strings as they are, anything else as JSON.
QString displayText(const Json &value)
{
    if (value.is_null() || value.is_discarded())
        return {};
    if (value.is_string())
        return toQString(value.get<std::string>());
    return QString::fromUtf8(dumpJson(value));
}

QString editorText(const QWidget *editor)
{
    if (auto *line = qobject_cast<const QLineEdit *>(editor))
        return line->text();
    if (auto *box = qobject_cast<const QPlainTextEdit *>(editor))
        return box->toPlainText();
    return {};
}

} // namespace

ParameterForm::ParameterForm(QWidget *parent)
    : QWidget(parent), m_layout(new QFormLayout(this)), m_empty(new QLabel(this))
{
    m_layout->setLabelAlignment(Qt::AlignRight | Qt::AlignTop);
    m_layout->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    m_layout->setRowWrapPolicy(QFormLayout::DontWrapRows);
    m_layout->setFormAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_empty->setText(tr("This bot takes no parameters."));
    m_empty->setEnabled(false);
    m_layout->addRow(m_empty);
}

void ParameterForm::setDefinitions(const QList<ParameterDefinition> &definitions)
{
    while (m_layout->rowCount() > 1)
        m_layout->removeRow(1);
    m_fields.clear();
    m_definitions = definitions;
    m_empty->setVisible(definitions.isEmpty());

    for (const ParameterDefinition &definition : definitions) {
        Field field;
        field.definition = definition;
        field.editor = createEditor(definition);
        field.problem = new QLabel(this);
        field.problem->setObjectName(u"problem_"_s + definition.key);
        field.problem->setStyleSheet(u"color: #d0463b;"_s);
        field.problem->setWordWrap(true);
        field.problem->hide();

        const QString name = definition.name.isEmpty() ? definition.key : definition.name;
        auto *label = new QLabel(definition.required ? u"<b>%1</b> <span style='color:#d0463b'>*</span>:"_s
                                                           .arg(name.toHtmlEscaped())
                                                     : name.toHtmlEscaped() + u":"_s, this);
        label->setToolTip(definition.description);
        label->setBuddy(field.editor);

        auto *column = new QWidget(this);
        auto *box = new QVBoxLayout(column);
        box->setContentsMargins(0, 0, 0, 0);
        box->setSpacing(2);
        box->addWidget(field.editor);
        box->addWidget(field.problem);
        if (!definition.description.isEmpty()) {
            auto *hint = new QLabel(definition.description, column);
            hint->setWordWrap(true);
            hint->setEnabled(false); // muted in every palette
            box->addWidget(hint);
        }
        m_layout->addRow(label, column);
        m_fields << field;
    }
    // The scroll area's spare height goes below the last row (no row expands: see the
    // multi-line editors' size policy in createEditor()).
    m_layout->addItem(new QSpacerItem(0, 0, QSizePolicy::Minimum, QSizePolicy::Expanding));
    setValues(Json::object());
}

QWidget *ParameterForm::createEditor(const ParameterDefinition &definition)
{
    const QString key = definition.key;
    QWidget *editor = nullptr;
    if (definition.type == u"boolean"_s) {
        auto *check = new QCheckBox(tr("Enabled"), this);
        connect(check, &QCheckBox::toggled, this, [this, key] { Q_EMIT fieldEdited(key); });
        editor = check;
    } else if (definition.type == u"json"_s || isLongText(definition.defaultValue)) {
        auto *box = new QPlainTextEdit(this);
        if (definition.type == u"json"_s)
            box->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
        box->setTabChangesFocus(true);
        box->setFixedHeight(box->fontMetrics().lineSpacing() * 4 + 12);
        // Fixed, not Expanding: an expanding row would take all the spare height of the
        // scroll area and open a gap under this field.
        box->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
        connect(box, &QPlainTextEdit::textChanged, this, [this, key] { Q_EMIT fieldEdited(key); });
        editor = box;
    } else {
        auto *line = new QLineEdit(this);
        if (definition.type == u"integer"_s)
            line->setValidator(new QRegularExpressionValidator(QRegularExpression(u"-?\\d*"_s), line));
        else if (definition.type == u"number"_s)
            line->setValidator(new QRegularExpressionValidator(
                QRegularExpression(u"-?\\d*\\.?\\d*([eE][-+]?\\d*)?"_s), line));
        connect(line, &QLineEdit::textEdited, this, [this, key] { Q_EMIT fieldEdited(key); });
        editor = line;
    }
    editor->setObjectName(u"param_"_s + key);
    editor->setToolTip(definition.description);
    if (auto *line = qobject_cast<QLineEdit *>(editor); line && !definition.required)
        line->setPlaceholderText(tr("(not set)"));
    return editor;
}

void ParameterForm::setValues(const Json &object)
{
    for (const Field &field : std::as_const(m_fields)) {
        const std::string key = toStd(field.definition.key);
        const Json value = object.is_object() && object.contains(key) ? object.at(key) : Json();
        const QSignalBlocker block(field.editor);
        if (auto *check = qobject_cast<QCheckBox *>(field.editor))
            check->setChecked(value.is_boolean() && value.get<bool>());
        else if (auto *line = qobject_cast<QLineEdit *>(field.editor)) {
            line->setText(displayText(value));
            line->setCursorPosition(0); // a long default reads from its start
        }
        else if (auto *box = qobject_cast<QPlainTextEdit *>(field.editor))
            box->setPlainText(field.definition.type == u"json"_s && !value.is_null()
                                  ? QString::fromUtf8(dumpJson(value, 2))
                                  : displayText(value));
        setFieldProblem(field.definition.key, {});
    }
}

const ParameterForm::Field *ParameterForm::field(const QString &key) const
{
    for (const Field &field : m_fields) {
        if (field.definition.key == key)
            return &field;
    }
    return nullptr;
}

QWidget *ParameterForm::fieldWidget(const QString &key) const
{
    const Field *f = field(key);
    return f ? f->editor : nullptr;
}

std::optional<Json> ParameterForm::valueOf(const QString &key, QString *problem) const
{
    const Field *f = field(key);
    if (!f)
        return std::nullopt;
    const QString name = f->definition.name.isEmpty() ? key : f->definition.name;
    if (auto *check = qobject_cast<QCheckBox *>(f->editor))
        return Json(check->isChecked());

    const QString text = editorText(f->editor);
    if (text.trimmed().isEmpty())
        return std::nullopt;
    const QString type = f->definition.type;
    if (type == u"integer"_s) {
        bool ok = false;
        const qlonglong number = text.trimmed().toLongLong(&ok);
        if (ok)
            return Json(number);
        *problem = tr("“%1” must be a whole number.").arg(name);
        return std::nullopt;
    }
    if (type == u"number"_s) {
        bool ok = false;
        const double number = text.trimmed().toDouble(&ok);
        if (ok)
            return Json(number);
        *problem = tr("“%1” must be a number.").arg(name);
        return std::nullopt;
    }
    if (type == u"json"_s) {
        QString error;
        Json value = parseJson(text.toUtf8(), &error);
        if (!value.is_discarded())
            return value;
        *problem = tr("“%1” is not valid JSON: %2").arg(name, error);
        return std::nullopt;
    }
    return Json(toStd(text));
}

void ParameterForm::setFieldProblem(const QString &key, const QString &problem)
{
    const Field *f = field(key);
    if (!f)
        return;
    f->problem->setText(problem);
    f->problem->setVisible(!problem.isEmpty());
}

} // namespace invoke::ui
