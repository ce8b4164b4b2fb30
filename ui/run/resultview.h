#pragma once
#include "core/model/invocation/invokerequest.h"
#include "core/model/invocation/invokeresult.h"

#include <QtWidgets/QWidget>

class QCheckBox;
class QComboBox;
class QPlainTextEdit;
class QToolButton;

namespace invoke::ui {

// The finished run in the three output formats core/format produces (text, with a
// verbose toggle; the JSON summary; the events), with a Copy button.
class ResultView : public QWidget
{
    Q_OBJECT
public:
    explicit ResultView(QWidget *parent = nullptr);

    void setResult(const InvokeResult &result);
    void clear();

    void setFormat(OutputFormat format);
    OutputFormat format() const;
    void setVerbose(bool verbose);
    QString text() const;

    QComboBox *formatBox() const { return m_format; }
    QCheckBox *verboseBox() const { return m_verbose; }
    QToolButton *copyButton() const { return m_copy; }

private:
    void render();

    std::optional<InvokeResult> m_result;
    QComboBox *m_format;
    QCheckBox *m_verbose;
    QToolButton *m_copy;
    QPlainTextEdit *m_text;
};

} // namespace invoke::ui
