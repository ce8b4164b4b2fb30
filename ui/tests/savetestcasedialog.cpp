#include "ui/tests/savetestcasedialog.h"
#include "ui/tests/assertionlines.h"

#include "core/agenttests/proposedassertions.h"
#include "core/mocks/mocksetfromrun.h"

#include <QtCore/QFileInfo>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QDialogButtonBox>
#include <QtWidgets/QFileDialog>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QListWidget>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QVBoxLayout>

using namespace Qt::StringLiterals;

namespace invoke::ui {

using namespace agenttests;

namespace {

QListWidgetItem *addAssertionItem(QListWidget *list, const QString &line)
{
    auto *item = new QListWidgetItem(line, list);
    item->setFlags(item->flags() | Qt::ItemIsEditable | Qt::ItemIsUserCheckable);
    item->setCheckState(Qt::Checked);
    return item;
}

} // namespace

SaveTestCaseDialog::SaveTestCaseDialog(const InvokeRequest &request, const InvokeResult &result,
                                       const QStringList &secrets, const QString &suggestedFile, QWidget *parent)
    : QDialog(parent), m_request(request), m_result(result), m_secrets(secrets), m_name(new QLineEdit),
      m_bot(new QLineEdit), m_mode(new QComboBox), m_file(new QLineEdit), m_assertions(new QListWidget),
      m_problem(new QLabel)
{
    setObjectName(u"saveTestCaseDialog"_s);
    setWindowTitle(tr("Save Run as Test Case"));

    QString name = request.query().simplified();
    if (name.size() > 60)
        name = name.left(59) + u'…';
    m_name->setObjectName(u"testCaseName"_s);
    m_name->setText(name.isEmpty() ? tr("%1 run").arg(request.botKey) : name);
    m_bot->setObjectName(u"testCaseBot"_s);
    m_bot->setText(request.botKey);
    m_mode->setObjectName(u"testCaseMode"_s);
    for (const char *word : {"manual", "replay", "live"})
        m_mode->addItem(QString::fromLatin1(word));
    m_mode->setToolTip(tr("Manual: mocks answer (the run's own, or its answers as mocks) — free and "
                          "deterministic. Replay: the replay cache answers. Live: the model answers."));
    // A manual run stays manual; a live or replay run becomes a replay case, free after its first run.
    m_mode->setCurrentText(request.mode.kind == Mode::Manual ? u"manual"_s : u"replay"_s);
    m_file->setObjectName(u"testCaseFile"_s);
    m_file->setText(suggestedFile);
    m_file->setPlaceholderText(tr("A new or existing *.tests.json file"));
    auto *choose = new QPushButton(tr("Choose…"));
    choose->setObjectName(u"chooseTestsFileButton"_s);
    auto *fileRow = new QHBoxLayout;
    fileRow->addWidget(m_file, 1);
    fileRow->addWidget(choose);

    m_assertions->setObjectName(u"proposedAssertions"_s);
    m_assertions->setAlternatingRowColors(true);
    m_assertions->setToolTip(tr("Untick what the case should not check; double-click a line to edit it"));
    auto *addButton = new QPushButton(tr("Add Line"));
    addButton->setObjectName(u"addAssertionButton"_s);
    auto *reproposeButton = new QPushButton(tr("Propose Again"));
    reproposeButton->setObjectName(u"proposeAgainButton"_s);
    reproposeButton->setToolTip(tr("Replace the lines by what the run suggests for the chosen mode"));
    auto *listButtons = new QHBoxLayout;
    listButtons->addWidget(addButton);
    listButtons->addWidget(reproposeButton);
    listButtons->addStretch(1);

    m_problem->setObjectName(u"saveTestCaseProblem"_s);
    m_problem->setWordWrap(true);
    m_problem->setTextFormat(Qt::PlainText);
    m_problem->setStyleSheet(u"color: #c0392b"_s);
    m_problem->hide();

    auto *form = new QFormLayout;
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&Bot:"), m_bot);
    form->addRow(tr("&Mode:"), m_mode);
    auto *fileLabel = new QLabel(tr("&File:"));
    fileLabel->setBuddy(m_file);
    form->addRow(fileLabel, fileRow);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, this, &SaveTestCaseDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(choose, &QPushButton::clicked, this, &SaveTestCaseDialog::chooseFile);
    connect(addButton, &QPushButton::clicked, this, &SaveTestCaseDialog::addLine);
    connect(reproposeButton, &QPushButton::clicked, this, &SaveTestCaseDialog::propose);
    // What holds depends on the mode (a mock source only in manual mode): propose afresh.
    connect(m_mode, &QComboBox::currentTextChanged, this, &SaveTestCaseDialog::propose);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(new QLabel(tr("Expectations (proposed from the run; JSON, one per line):")));
    layout->addWidget(m_assertions, 1);
    layout->addLayout(listButtons);
    layout->addWidget(m_problem);
    layout->addWidget(buttons);
    resize(720, 520);
    propose();
}

void SaveTestCaseDialog::propose()
{
    m_assertions->clear();
    const std::optional<Mode> mode = Mode::fromName(m_mode->currentText());
    for (const Assertion &a : proposeAssertions(m_result, mode.value_or(Mode::replay())))
        addAssertionItem(m_assertions, assertionLine(a));
}

void SaveTestCaseDialog::addLine()
{
    QListWidgetItem *item = addAssertionItem(m_assertions, u"{\"text_contains\": \"\"}"_s);
    m_assertions->setCurrentItem(item);
    m_assertions->editItem(item);
}

void SaveTestCaseDialog::chooseFile()
{
    QFileDialog dialog(this, tr("The tests file to save the case in"), m_file->text());
    dialog.setObjectName(u"testsFileDialog"_s);
    dialog.setAcceptMode(QFileDialog::AcceptSave);
    dialog.setOption(QFileDialog::DontConfirmOverwrite); // an existing file gets the case added
    dialog.setNameFilter(tr("Tests files (*.tests.json)"));
    dialog.setDefaultSuffix(u"tests.json"_s);
    if (dialog.exec() == QDialog::Accepted && !dialog.selectedFiles().isEmpty())
        m_file->setText(dialog.selectedFiles().first());
}

QString SaveTestCaseDialog::filePath() const
{
    return m_file->text().trimmed();
}

std::optional<TestCase> SaveTestCaseDialog::testCase(QString *error) const
{
    TestCase c;
    c.name = m_name->text().trimmed();
    if (c.name.isEmpty()) {
        *error = tr("The case needs a name.");
        return std::nullopt;
    }
    c.request.botKey = m_bot->text().trimmed();
    if (c.request.botKey.isEmpty()) {
        *error = tr("The case needs a bot.");
        return std::nullopt;
    }
    c.request.messages = m_request.messages;
    c.request.parameters = m_request.parameters.is_object() ? m_request.parameters : Json::object();
    c.request.datasets = m_request.datasets;
    c.request.mode = Mode::fromName(m_mode->currentText()).value_or(Mode::replay());
    if (c.request.mode.kind == Mode::Manual) {
        // Inline, so the case runs the same wherever the file goes: the run's own mocks,
        // or (a live or replay run) its answers as mocks, secrets masked.
        c.request.manualMocks = m_request.mode.kind == Mode::Manual
                                    ? m_request.manualMocks
                                    : mocks::mockSetFromRun(m_result, m_secrets).mocks;
        c.mocksGiven = !c.request.manualMocks.isEmpty();
    }
    for (int row = 0; row < m_assertions->count(); ++row) {
        const QListWidgetItem *item = m_assertions->item(row);
        if (item->checkState() != Qt::Checked || item->text().trimmed().isEmpty())
            continue;
        QString why;
        std::optional<Assertion> a = parseAssertionLine(item->text(), &why);
        if (!a) {
            *error = tr("Line %1 is not an assertion: %2").arg(row + 1).arg(why);
            m_assertions->setCurrentRow(row);
            return std::nullopt;
        }
        c.expect.append(std::move(*a));
    }
    return c;
}

void SaveTestCaseDialog::accept()
{
    QString error;
    if (!testCase(&error)) {
        m_problem->setText(error);
        m_problem->show();
        return;
    }
    if (filePath().isEmpty()) {
        m_problem->setText(tr("Choose the tests file to save the case in."));
        m_problem->show();
        return;
    }
    m_problem->hide();
    QDialog::accept();
}

} // namespace invoke::ui
