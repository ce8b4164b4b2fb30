#pragma once
#include "core/model/botinfo.h"

#include <QtCore/QMap>
#include <QtWidgets/QWidget>

#include <optional>

class QLabel;
class QPlainTextEdit;
class QTabWidget;

namespace invoke::ui {

class ParameterForm;

// The bot's parameters, two ways: a generated form and the raw JSON, kept in sync.
//
// The JSON object is the truth. A form edit updates its key and rewrites the JSON text,
// unless that text is invalid: then the text is left exactly as typed (nothing the user
// wrote is ever lost) and the error stays until it is fixed. An invalid text, a field
// the type does not accept or a missing required value is shown inline and makes
// parameters() refuse, with a message saying what to fix.
class ParameterEditor : public QWidget
{
    Q_OBJECT
public:
    explicit ParameterEditor(QWidget *parent = nullptr);

    // A new bot: a fresh form, values set to the defaults.
    void setDefinitions(const QList<ParameterDefinition> &definitions);

    // The parameters to send, or nullopt with `error` saying what is wrong.
    std::optional<Json> parameters(QString *error = nullptr) const;
    // Empty when parameters() would succeed.
    QString problem() const;

    QString rawText() const;
    void setRawText(const QString &text);
    void showRawTab();

    ParameterForm *form() const { return m_form; }
    QPlainTextEdit *rawEditor() const { return m_raw; }

Q_SIGNALS:
    // The problem text changed (empty when valid again).
    void problemChanged(const QString &problem);

private:
    void onFieldEdited(const QString &key);
    void onRawEdited();
    void writeRaw();
    void updateProblem();

    QList<ParameterDefinition> m_definitions;
    Json m_values = Json::object();
    QString m_rawError;                   // empty when the raw text parses to an object
    QMap<QString, QString> m_fieldErrors; // key -> problem
    QString m_problem;

    QTabWidget *m_tabs;
    ParameterForm *m_form;
    QPlainTextEdit *m_raw;
    QLabel *m_rawErrorLabel;
    QLabel *m_problemLabel;
};

} // namespace invoke::ui
