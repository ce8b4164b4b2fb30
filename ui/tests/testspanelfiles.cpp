// The Tests panel's files: opening tests files and folders, a file for a new case, saving,
// closing, and asking before unsaved changes could be lost (ui/tests/testspanel.h).
#include "ui/tests/testspanel.h"
#include "ui/tests/testsdocument.h"
#include "ui/tests/testsmodel.h"
#include "ui/common/banner.h"

#include "core/agenttests/testdiscovery.h"
#include "core/agenttests/testfileparser.h"

#include <QtCore/QFileInfo>
#include <QtGui/QUndoGroup>
#include <QtGui/QUndoStack>
#include <QtWidgets/QFileDialog>
#include <QtWidgets/QMessageBox>

using namespace Qt::StringLiterals;

namespace invoke::ui {

using namespace agenttests;

void TestsPanel::chooseFile()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open a tests file"), m_lastDir,
                                                      tr("Tests files (*.tests.json);;JSON files (*.json)"));
    if (!path.isEmpty())
        openPath(path);
}

void TestsPanel::chooseFolder()
{
    const QString path = QFileDialog::getExistingDirectory(this, tr("Open the tests files under a folder"), m_lastDir);
    if (!path.isEmpty())
        openPath(path);
}

bool TestsPanel::openPath(const QString &path)
{
    QStringList problems;
    const QStringList files = findTestFiles({path}, &problems);
    if (files.isEmpty() && problems.isEmpty())
        problems << tr("%1: no *.tests.json files in this folder").arg(path);
    const QFileInfo info(path);
    m_lastDir = info.isDir() ? info.absoluteFilePath() : info.absolutePath();
    TestsDocument *first = nullptr;
    for (const QString &file : files) {
        const QString absolute = QFileInfo(file).absoluteFilePath();
        if (const int row = m_model->documentRowOf(absolute); row >= 0) {
            first = first ? first : m_model->document(row);
            continue;
        }
        TestFileResult loaded = loadTestFile(absolute);
        problems << loaded.problems;
        if (!loaded.file)
            continue;
        auto *document = new TestsDocument(absolute, std::move(*loaded.file));
        m_undoGroup->addStack(document->undoStack());
        m_model->addDocument(document);
        first = first ? first : document;
    }
    if (problems.isEmpty())
        m_banner->clearMessage();
    else
        m_banner->showMessage(Banner::Error, tr("Not opened — fix these first:\n%1").arg(problems.join(u'\n')));
    if (first)
        selectCase(first, first->count() > 0 ? 0 : -1);
    updateActions();
    return first != nullptr;
}

TestsDocument *TestsPanel::documentFor(const QString &filePath, QString *error)
{
    const QString absolute = QFileInfo(filePath).absoluteFilePath();
    if (const int row = m_model->documentRowOf(absolute); row >= 0)
        return m_model->document(row);
    TestFile file;
    if (QFileInfo::exists(absolute)) {
        TestFileResult loaded = loadTestFile(absolute);
        if (!loaded.file) {
            *error = loaded.problems.join(u'\n');
            return nullptr;
        }
        file = std::move(*loaded.file);
    }
    auto *document = new TestsDocument(absolute, std::move(file));
    m_undoGroup->addStack(document->undoStack());
    m_model->addDocument(document);
    return document;
}

bool TestsPanel::addCaseToFile(const QString &filePath, const TestCase &testCase, QString *error)
{
    TestsDocument *document = documentFor(filePath, error);
    if (!document)
        return false;
    const bool wasModified = document->isModified();
    const int row = document->addCase(testCase, error);
    if (row < 0)
        return false;
    if (!document->save(error)) {
        if (!wasModified)
            document->undoStack()->undo(); // the file on disk is as it was; so is the panel
        return false;
    }
    selectCase(document, row);
    return true;
}

void TestsPanel::closeCurrentFile()
{
    TestsDocument *document = currentDocument();
    if (!document || isRunning())
        return;
    QPointer<TestsDocument> guarded = document;
    auto close = [this, guarded] {
        if (!guarded)
            return;
        m_undoGroup->removeStack(guarded->undoStack());
        m_model->removeDocument(m_model->documentRowOf(guarded->filePath()));
        updateActions();
    };
    if (!document->isModified()) {
        close();
        return;
    }
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Unsaved tests file"),
                                tr("The tests file “%1” has changes that are not saved.").arg(document->displayName()),
                                QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, window());
    box->setObjectName(u"unsavedTestsBox"_s);
    box->setDefaultButton(QMessageBox::Save);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(Qt::WindowModal);
    connect(box, &QMessageBox::finished, this, [this, box, guarded, close] {
        const auto answer = box->standardButton(box->clickedButton());
        QString error;
        if (answer == QMessageBox::Discard || (answer == QMessageBox::Save && guarded && guarded->save(&error)))
            close();
        else if (!error.isEmpty())
            m_banner->showMessage(Banner::Error, error);
    });
    box->open();
}

bool TestsPanel::saveCurrent()
{
    TestsDocument *document = currentDocument();
    if (!document)
        return false;
    QString error;
    if (!document->save(&error)) {
        m_banner->showMessage(Banner::Error, error);
        return false;
    }
    return true;
}

bool TestsPanel::hasUnsavedChanges() const
{
    for (int row = 0; row < m_model->documentCount(); ++row)
        if (m_model->document(row)->isModified())
            return true;
    return false;
}

void TestsPanel::whenChangesAreSafe(std::function<void()> proceed)
{
    QStringList names;
    for (int row = 0; row < m_model->documentCount(); ++row)
        if (m_model->document(row)->isModified())
            names << m_model->document(row)->displayName();
    if (names.isEmpty()) {
        proceed();
        return;
    }
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Unsaved tests files"),
                                tr("These tests files have changes that are not saved: %1.").arg(names.join(u", "_s)),
                                QMessageBox::SaveAll | QMessageBox::Discard | QMessageBox::Cancel, window());
    box->setObjectName(u"unsavedTestsBox"_s);
    box->setInformativeText(tr("Save them first, discard them, or cancel and keep editing?"));
    box->setDefaultButton(QMessageBox::SaveAll);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(Qt::WindowModal);
    connect(box, &QMessageBox::finished, this, [this, box, proceed = std::move(proceed)] {
        const auto answer = box->standardButton(box->clickedButton());
        if (answer == QMessageBox::Discard) {
            proceed();
            return;
        }
        if (answer != QMessageBox::SaveAll)
            return;
        for (int row = 0; row < m_model->documentCount(); ++row) {
            QString error;
            if (m_model->document(row)->isModified() && !m_model->document(row)->save(&error)) {
                m_banner->showMessage(Banner::Error, error);
                return; // nothing is dropped: the window stays
            }
        }
        proceed();
    });
    box->open();
}

} // namespace invoke::ui
