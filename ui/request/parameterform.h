#pragma once
#include "core/model/botinfo.h"

#include <QtWidgets/QWidget>

#include <optional>

class QFormLayout;
class QLabel;

namespace invoke::ui {

// A form generated from a bot's parameter definitions: a widget per type (a check box
// for booleans, a validated field for numbers, a JSON box for json, a text field for
// the rest), required ones marked with *, descriptions as hints. It shows values and
// reads them back one field at a time; ParameterEditor keeps it in sync with the JSON.
class ParameterForm : public QWidget
{
    Q_OBJECT
public:
    explicit ParameterForm(QWidget *parent = nullptr);

    void setDefinitions(const QList<ParameterDefinition> &definitions);
    const QList<ParameterDefinition> &definitions() const { return m_definitions; }

    // Shows the values of an object (a key that is absent shows empty).
    void setValues(const Json &object);

    // A field's value: nullopt when it is empty (the key is left out). A value the
    // type does not accept fills `problem` (in plain words) and returns nullopt.
    std::optional<Json> valueOf(const QString &key, QString *problem) const;

    // Shows (or, with an empty text, clears) an error under a field.
    void setFieldProblem(const QString &key, const QString &problem);

    QWidget *fieldWidget(const QString &key) const;

Q_SIGNALS:
    void fieldEdited(const QString &key);

private:
    struct Field
    {
        ParameterDefinition definition;
        QWidget *editor = nullptr;
        QLabel *problem = nullptr;
    };
    QWidget *createEditor(const ParameterDefinition &definition);
    const Field *field(const QString &key) const;

    QList<ParameterDefinition> m_definitions;
    QList<Field> m_fields;
    QFormLayout *m_layout;
    QLabel *m_empty;
};

} // namespace invoke::ui
