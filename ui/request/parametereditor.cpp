#include "ui/request/parametereditor.h"
#include "ui/common/icons.h"
#include "ui/request/parameterform.h"

#include <QtGui/QFontDatabase>
#include <QtWidgets/QLabel>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QScrollArea>
#include <QtWidgets/QTabWidget>
#include <QtWidgets/QVBoxLayout>

using namespace Qt::StringLiterals;

namespace invoke::ui {

ParameterEditor::ParameterEditor(QWidget *parent)
    : QWidget(parent), m_tabs(new QTabWidget(this)), m_form(new ParameterForm),
      m_raw(new QPlainTextEdit), m_rawErrorLabel(new QLabel), m_problemLabel(new QLabel(this))
{
    auto *scroll = new QScrollArea;
    scroll->setWidget(m_form);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);

    m_raw->setObjectName(u"parametersJson"_s);
    m_raw->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_raw->setTabChangesFocus(true);
    m_rawErrorLabel->setObjectName(u"parametersJsonError"_s);
    m_rawErrorLabel->setWordWrap(true);
    m_rawErrorLabel->setStyleSheet(u"color: #d0463b;"_s);
    m_rawErrorLabel->hide();

    auto *rawPage = new QWidget;
    auto *rawLayout = new QVBoxLayout(rawPage);
    rawLayout->setContentsMargins(4, 4, 4, 4);
    rawLayout->addWidget(m_raw, 1);
    rawLayout->addWidget(m_rawErrorLabel);

    m_tabs->setObjectName(u"parameterTabs"_s);
    m_tabs->addTab(scroll, tr("Form"));
    m_tabs->addTab(rawPage, tr("JSON"));
    m_tabs->setDocumentMode(true);

    m_problemLabel->setObjectName(u"parametersProblem"_s);
    m_problemLabel->setWordWrap(true);
    m_problemLabel->setStyleSheet(u"color: #d0463b;"_s);
    m_problemLabel->hide();

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_tabs, 1);
    layout->addWidget(m_problemLabel);

    connect(m_form, &ParameterForm::fieldEdited, this, &ParameterEditor::onFieldEdited);
    connect(m_raw, &QPlainTextEdit::textChanged, this, &ParameterEditor::onRawEdited);
    connect(m_tabs, &QTabWidget::currentChanged, this, &ParameterEditor::updateProblem);
    setDefinitions({});
}

void ParameterEditor::setDefinitions(const QList<ParameterDefinition> &definitions)
{
    m_definitions = definitions;
    m_values = Json::object();
    for (const ParameterDefinition &definition : definitions) {
        if (!definition.defaultValue.is_null())
            m_values[toStd(definition.key)] = definition.defaultValue;
    }
    m_fieldErrors.clear();
    m_rawError.clear();
    m_form->setDefinitions(definitions);
    m_form->setValues(m_values);
    writeRaw();
    updateProblem();
}

void ParameterEditor::onFieldEdited(const QString &key)
{
    QString problem;
    const std::optional<Json> value = m_form->valueOf(key, &problem);
    m_form->setFieldProblem(key, problem);
    if (!problem.isEmpty()) {
        m_fieldErrors.insert(key, problem);
    } else {
        m_fieldErrors.remove(key);
        if (value)
            m_values[toStd(key)] = *value;
        else
            m_values.erase(toStd(key));
        if (m_rawError.isEmpty())
            writeRaw(); // an invalid text is the user's: never overwrite it
    }
    updateProblem();
}

void ParameterEditor::onRawEdited()
{
    QString error;
    const QByteArray bytes = m_raw->toPlainText().toUtf8();
    Json parsed = bytes.trimmed().isEmpty() ? Json::object() : parseJson(bytes, &error);
    if (parsed.is_discarded()) {
        m_rawError = error;
    } else if (!parsed.is_object()) {
        m_rawError = tr("the parameters must be a JSON object, like {\"name\": \"value\"}");
    } else {
        m_rawError.clear();
        m_values = std::move(parsed);
        m_fieldErrors.clear();
        m_form->setValues(m_values);
    }
    m_rawErrorLabel->setText(m_rawError.isEmpty() ? QString() : tr("Invalid JSON: %1").arg(m_rawError));
    m_rawErrorLabel->setVisible(!m_rawError.isEmpty());
    m_tabs->setTabIcon(1, m_rawError.isEmpty() ? QIcon() : icon(u"banner-error"_s));
    m_form->setEnabled(m_rawError.isEmpty());
    updateProblem();
}

void ParameterEditor::writeRaw()
{
    const QSignalBlocker block(m_raw);
    m_raw->setPlainText(QString::fromUtf8(dumpJson(m_values, 2)));
}

void ParameterEditor::updateProblem()
{
    QString problem;
    if (!m_rawError.isEmpty()) {
        problem = tr("The parameters' JSON is invalid (%1). Fix it in the JSON tab.").arg(m_rawError);
    } else if (!m_fieldErrors.isEmpty()) {
        problem = m_fieldErrors.first();
    } else {
        for (const ParameterDefinition &definition : std::as_const(m_definitions)) {
            const std::string key = toStd(definition.key);
            const bool missing = !m_values.contains(key) || m_values.at(key).is_null()
                                 || (m_values.at(key).is_string() && m_values.at(key).get<std::string>().empty());
            if (definition.required && missing) {
                problem = tr("The parameter “%1” is required.")
                              .arg(definition.name.isEmpty() ? definition.key : definition.name);
                break;
            }
        }
    }
    m_problemLabel->setText(problem);
    // On the JSON tab the error already shows right under the text.
    const bool shownInline = !m_rawError.isEmpty() && m_tabs->currentIndex() == 1;
    m_problemLabel->setVisible(!problem.isEmpty() && !shownInline);
    if (problem != m_problem) {
        m_problem = problem;
        Q_EMIT problemChanged(problem);
    }
}

std::optional<Json> ParameterEditor::parameters(QString *error) const
{
    if (!m_problem.isEmpty()) {
        if (error)
            *error = m_problem;
        return std::nullopt;
    }
    return m_values;
}

QString ParameterEditor::problem() const
{
    return m_problem;
}

QString ParameterEditor::rawText() const
{
    return m_raw->toPlainText();
}

void ParameterEditor::setRawText(const QString &text)
{
    m_raw->setPlainText(text); // parsed by onRawEdited like typing
}

void ParameterEditor::showRawTab()
{
    m_tabs->setCurrentIndex(1);
}

} // namespace invoke::ui
