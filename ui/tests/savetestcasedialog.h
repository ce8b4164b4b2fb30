#pragma once
#include "core/agenttests/testcase.h"
#include "core/model/invocation/invokeresult.h"

#include <QtWidgets/QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;

namespace invoke::ui {

// "Save run as test case": a run becomes a case of a tests file. The dialog proposes
// its name, bot and mode, and assertions from what the run did
// (core/agenttests/proposedassertions.h), one per line, each ticked; the user unticks,
// edits (a line is JSON as the file holds it, checked as the file parser would) and
// adds lines, and picks the file (a new one or one to append to). A case in manual mode
// carries its mocks inline: the run's own set, or one made from the run's answers.
class SaveTestCaseDialog : public QDialog
{
    Q_OBJECT
public:
    // `secrets` are masked in mocks made from the run.
    SaveTestCaseDialog(const InvokeRequest &request, const InvokeResult &result, const QStringList &secrets,
                       const QString &suggestedFile, QWidget *parent = nullptr);

    QLineEdit *nameField() const { return m_name; }
    QLineEdit *botField() const { return m_bot; }
    QComboBox *modeBox() const { return m_mode; }
    QLineEdit *fileField() const { return m_file; }
    QListWidget *assertionList() const { return m_assertions; }
    QLabel *problemLabel() const { return m_problem; }

    // The case as it stands, or nullopt with `error` (the first line that is not an
    // assertion is selected).
    std::optional<agenttests::TestCase> testCase(QString *error) const;
    QString filePath() const;

    void accept() override;

private:
    void propose();
    void chooseFile();
    void addLine();

    InvokeRequest m_request;
    InvokeResult m_result;
    QStringList m_secrets;
    QLineEdit *m_name;
    QLineEdit *m_bot;
    QComboBox *m_mode;
    QLineEdit *m_file;
    QListWidget *m_assertions;
    QLabel *m_problem;
};

} // namespace invoke::ui
