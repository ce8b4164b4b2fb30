// The mock set editor on its own, offscreen, with real input: create a set, edit an
// output, save, reopen (stable bytes); invalid JSON is kept and flagged, and Save refuses
// without losing it; key add/duplicate/rename/remove with undo and redo; the
// unsaved-changes guard; recent files; coverage and schema checks for a bot.
#include "core/backend/localbackend.h"
#include "core/model/mocksetio.h"
#include "ui/common/banner.h"
#include "ui/common/jsonhighlighter.h"
#include "ui/mocks/mockcoveragemodel.h"
#include "ui/mocks/mockentryview.h"
#include "ui/mocks/mockkeylistmodel.h"
#include "ui/mocks/mockseteditor.h"
#include "ui/mocks/mocksetdocument.h"
#include "ui/common/recentfilesmenu.h"

#include <QtCore/QFile>
#include <QtCore/QSettings>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtGui/QAction>
#include <QtGui/QUndoStack>
#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWidgets/QApplication>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QListView>
#include <QtWidgets/QMenu>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QPushButton>

using namespace Qt::StringLiterals;
using namespace invoke;
using invoke::ui::MockEntryProblem;
using invoke::ui::MockSetEditor;

namespace {

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// Replaces the output editor's text by typing, as a user would.
void typeOutput(MockSetEditor *editor, const QString &text)
{
    QPlainTextEdit *output = editor->entryView()->outputEdit();
    output->setFocus();
    QTest::keyClick(output, Qt::Key_A, Qt::ControlModifier);
    QTest::keyClick(output, Qt::Key_Delete);
    const QStringList lines = text.split(u'\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        if (i > 0)
            QTest::keyClick(output, Qt::Key_Return);
        // QTest types ASCII only: other text arrives as an input method would commit it.
        bool ascii = true;
        for (QChar c : lines.at(i))
            ascii &= c.unicode() < 128;
        if (ascii)
            QTest::keyClicks(output, lines.at(i));
        else
            output->insertPlainText(lines.at(i));
    }
}

void selectKey(MockSetEditor *editor, const QString &key)
{
    const int row = editor->document()->rowOf(key);
    QVERIFY2(row >= 0, qPrintable(key));
    QListView *view = editor->keyView();
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->visualRect(editor->keyModel()->index(row)).center());
    QCOMPARE(editor->currentKey(), key);
}

// Answers the window-modal box named `name` with `button`, once it is open.
void answerBox(const QString &name, QMessageBox::StandardButton button)
{
    QMessageBox *box = nullptr;
    QTRY_VERIFY((box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget())) != nullptr);
    QCOMPARE(box->objectName(), name);
    QTest::mouseClick(box->button(button), Qt::LeftButton);
}

// The embedded engine on the bundled examples: the editor asks it for a bot's plan.
LocalBackend::Options exampleBackend(const QString &cacheFile)
{
    LocalBackend::Options options;
    options.botFolders = {u":/bots"_s};
    options.replayCacheFile = cacheFile;
    return options;
}

} // namespace

class TstMockEditor : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<MockSetEditor> m_editor;
    std::unique_ptr<QAbstractItemModelTester> m_keyTester, m_coverageTester;

    QString path(const QString &name) const { return m_dir->filePath(name); }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
    }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_settings = std::make_unique<QSettings>(path(u"studio.ini"_s), QSettings::IniFormat);
        m_editor = std::make_unique<MockSetEditor>(m_settings.get());
        m_keyTester = std::make_unique<QAbstractItemModelTester>(m_editor->keyModel(),
                                                                 QAbstractItemModelTester::FailureReportingMode::QtTest);
        m_coverageTester = std::make_unique<QAbstractItemModelTester>(m_editor->coverageModel(),
                                                                      QAbstractItemModelTester::FailureReportingMode::QtTest);
        m_editor->resize(700, 700);
        m_editor->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_editor.get()));
    }

    void cleanup()
    {
        m_keyTester.reset();
        m_coverageTester.reset();
        m_editor.reset();
        m_settings.reset();
        m_dir.reset();
    }

    void createEditSaveReopenStableBytes()
    {
        ui::MockSetDocument *document = m_editor->document();
        QVERIFY(!document->isModified());
        QVERIFY(document->addKey(u"gather"_s));
        QVERIFY(document->addKey(u"llm.message"_s));
        selectKey(m_editor.get(), u"gather"_s);
        typeOutput(m_editor.get(), u"{\"content\": \"Tea comes from Camellia sinensis — ünïcode kept\"}"_s);
        QCOMPARE(document->problem(document->rowOf(u"gather"_s)).kind, MockEntryProblem::None);
        // The other key fails: status and error text through the widgets.
        selectKey(m_editor.get(), u"llm.message"_s);
        m_editor->entryView()->statusBox()->setCurrentIndex(1);
        QVERIFY(m_editor->entryView()->errorEdit()->isVisible());
        QTest::keyClicks(m_editor->entryView()->errorEdit(), u"rate limited"_s);
        QVERIFY(document->isModified());

        const QString file = path(u"tea.mocks.json"_s);
        QVERIFY(m_editor->saveTo(file));
        QVERIFY(!document->isModified());
        const QByteArray saved = readAll(file);
        QVERIFY(saved.endsWith('\n'));
        const std::optional<MockSet> set = MockSet::load(file);
        QVERIFY(set);
        QCOMPARE(set->size(), 2);
        QCOMPARE(QString::fromStdString(set->value(u"gather"_s)->output["content"].get<std::string>()),
                 u"Tea comes from Camellia sinensis — ünïcode kept"_s);
        QVERIFY(!set->value(u"llm.message"_s)->success);
        QCOMPARE(set->value(u"llm.message"_s)->error, u"rate limited"_s);
        QCOMPARE(saved, mockSetBytes(*set));

        // Reopen in a fresh editor and save again elsewhere: the same bytes.
        MockSetEditor other(m_settings.get());
        QAbstractItemModelTester tester(other.keyModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(other.openFileNow(file));
        QCOMPARE(other.document()->keys(), (QStringList{u"gather"_s, u"llm.message"_s}));
        QVERIFY(!other.document()->isModified());
        QVERIFY(other.entryView()->outputEdit()->toPlainText().contains(u"Camellia"_s));
        QVERIFY(other.saveTo(path(u"again.mocks.json"_s)));
        QCOMPARE(readAll(path(u"again.mocks.json"_s)), saved);
        QCOMPARE(other.recentFiles().first(), path(u"again.mocks.json"_s));
    }

    void invalidJsonIsKeptFlaggedAndNotSaved()
    {
        ui::MockSetDocument *document = m_editor->document();
        QVERIFY(document->addKey(u"answer"_s));
        selectKey(m_editor.get(), u"answer"_s);
        const QString file = path(u"answer.mocks.json"_s);
        QVERIFY(m_editor->saveTo(file));
        const QByteArray before = readAll(file);

        const QString broken = u"{\n  \"content\": \"Hello\",\n  \"usage\": {\"input_tokens\": 3\n}"_s;
        typeOutput(m_editor.get(), broken);
        const int row = document->rowOf(u"answer"_s);
        const MockEntryProblem problem = document->problem(row);
        QCOMPARE(problem.kind, MockEntryProblem::Syntax);
        QCOMPARE(problem.line, 4);
        QVERIFY2(problem.message.contains(u"line 4"_s), qPrintable(problem.message));
        QVERIFY(problem.position > 0);
        // Flagged in the list, under the editor and in the text.
        QCOMPARE(m_editor->keyModel()->index(row).data(ui::MockKeyListModel::ProblemKindRole).toInt(), int(MockEntryProblem::Syntax));
        QVERIFY(m_editor->entryView()->problemLabel()->isVisible());
        QVERIFY(m_editor->entryView()->problemLabel()->text().contains(u"not valid JSON"_s));
        QCOMPARE(m_editor->entryView()->highlighter()->errorPosition(), problem.position);

        // Save refuses, says why and where, and keeps every character.
        QVERIFY(!m_editor->saveTo(file));
        QCOMPARE(readAll(file), before);
        QVERIFY(m_editor->banner()->isVisible());
        QCOMPARE(m_editor->banner()->kind(), ui::Banner::Error);
        QVERIFY2(m_editor->banner()->text().contains(u"answer"_s) && m_editor->banner()->text().contains(u"line 4"_s),
                 qPrintable(m_editor->banner()->text()));
        QCOMPARE(m_editor->entryView()->outputEdit()->toPlainText(), broken);
        QCOMPARE(document->entry(row).outputText, broken);
        QVERIFY(document->isModified());
        QString runError;
        QVERIFY(!m_editor->mocksForRun(&runError));
        QVERIFY2(runError.contains(u"answer"_s), qPrintable(runError));

        // Another key shown and back: still the same text.
        QVERIFY(document->addKey(u"other"_s));
        selectKey(m_editor.get(), u"answer"_s);
        QCOMPARE(m_editor->entryView()->outputEdit()->toPlainText(), broken);

        // Fixed: flagged no more, and saved.
        m_editor->entryView()->outputEdit()->moveCursor(QTextCursor::End);
        QTest::keyClicks(m_editor->entryView()->outputEdit(), u"}"_s);
        QCOMPARE(document->problem(row).kind, MockEntryProblem::None);
        QCOMPARE(m_editor->entryView()->highlighter()->errorPosition(), -1);
        QVERIFY(!m_editor->entryView()->problemLabel()->isVisible());
        QVERIFY(m_editor->saveTo(file));
        QCOMPARE(MockSet::load(file)->value(u"answer"_s)->output["usage"]["input_tokens"].get<int>(), 3);
    }

    void openKeepsABrokenEntryVisible()
    {
        const QString file = path(u"wrong.mocks.json"_s);
        QFile out(file);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write("{\"a\": {\"status\": \"success\", \"output\": {\"content\": \"x\"}},\n \"b\": {\"status\": \"error\"}}\n");
        out.close();
        QVERIFY(m_editor->openFileNow(file));
        QCOMPARE(m_editor->document()->count(), 2);
        QCOMPARE(m_editor->document()->problem(1).kind, MockEntryProblem::Missing);
        QCOMPARE(m_editor->document()->problem(1).field, u"error"_s);

        const QString notJson = path(u"notjson.json"_s);
        QFile bad(notJson);
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("{\"a\": ");
        bad.close();
        QVERIFY(!m_editor->openFileNow(notJson));
        QVERIFY2(m_editor->banner()->text().contains(u"not valid JSON"_s), qPrintable(m_editor->banner()->text()));
        QCOMPARE(m_editor->document()->filePath(), file); // the open document stays
    }

    void keyOperationsUndoAndRedo()
    {
        ui::MockSetDocument *document = m_editor->document();
        QUndoStack *undo = document->undoStack();
        QVERIFY(document->addKey(u"gather"_s));
        selectKey(m_editor.get(), u"gather"_s);
        typeOutput(m_editor.get(), u"{\"content\": \"notes\"}"_s);

        // Duplicate (toolbar action on the selected key).
        m_editor->duplicateAction()->trigger();
        QCOMPARE(document->keys(), (QStringList{u"gather"_s, u"gather (copy)"_s}));
        QCOMPARE(document->entry(1).outputText, u"{\"content\": \"notes\"}"_s);
        QCOMPARE(m_editor->currentKey(), u"gather (copy)"_s);

        // Rename through the list's editor: refused when empty or taken, the name stays.
        ui::MockKeyListModel *keys = m_editor->keyModel();
        QSignalSpy refused(keys, &ui::MockKeyListModel::renameRefused);
        QVERIFY(!keys->setData(keys->index(1), u"  "_s));
        QVERIFY(!keys->setData(keys->index(1), u"gather"_s));
        QCOMPARE(refused.count(), 2);
        QVERIFY(refused.at(1).at(0).toString().contains(u"already"_s));
        QVERIFY(m_editor->banner()->text().contains(u"already"_s));
        QCOMPARE(document->entry(1).key, u"gather (copy)"_s);
        m_editor->keyView()->setFocus();
        m_editor->renameAction()->trigger();
        auto *line = m_editor->keyView()->findChild<QLineEdit *>();
        QVERIFY(line);
        line->selectAll();
        QTest::keyClicks(line, u"summarise/answer"_s);
        QTest::keyClick(line, Qt::Key_Return);
        QTRY_COMPARE(document->entry(1).key, u"summarise/answer"_s);

        // Remove the first, then undo everything back to the start, and redo it all.
        selectKey(m_editor.get(), u"gather"_s);
        m_editor->removeAction()->trigger();
        QCOMPARE(document->keys(), QStringList{u"summarise/answer"_s});
        const QStringList undone[] = {{u"gather"_s, u"summarise/answer"_s},
                                      {u"gather"_s, u"gather (copy)"_s},
                                      {u"gather"_s}};
        for (const QStringList &expected : undone) {
            m_editor->undoAction()->trigger();
            QCOMPARE(document->keys(), expected);
        }
        // The typing in the output was one step too.
        m_editor->undoAction()->trigger();
        QCOMPARE(document->keys(), QStringList{u"gather"_s});
        QCOMPARE(document->entry(0).outputText, u"{\n  \"content\": \"\"\n}"_s);
        m_editor->undoAction()->trigger();
        QCOMPARE(document->count(), 0);
        QVERIFY(!undo->canUndo());
        QVERIFY(!document->isModified());
        while (undo->canRedo())
            m_editor->redoAction()->trigger();
        QCOMPARE(document->keys(), QStringList{u"summarise/answer"_s});
        QCOMPARE(document->entry(0).outputText, u"{\"content\": \"notes\"}"_s);
        QVERIFY(document->isModified());
    }

    void ctrlZInTheOutputUndoesThroughTheDocument()
    {
        ui::MockSetDocument *document = m_editor->document();
        QVERIFY(document->addKey(u"answer"_s));
        selectKey(m_editor.get(), u"answer"_s);
        QPlainTextEdit *output = m_editor->entryView()->outputEdit();
        const QString original = output->toPlainText();
        output->setFocus();
        output->moveCursor(QTextCursor::End);
        QTest::keyClicks(output, u" "_s);
        QCOMPARE(document->entry(0).outputText, original + u" "_s);
        QTest::keyClick(output, Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(document->entry(0).outputText, original);
        QCOMPARE(output->toPlainText(), original);
        // Delete in the text edits the text; in the key list it removes the key.
        output->moveCursor(QTextCursor::Start);
        QTest::keyClick(output, Qt::Key_Delete);
        QCOMPARE(document->count(), 1);
        QCOMPARE(document->entry(0).outputText, original.mid(1));
        m_editor->keyView()->setFocus();
        QTest::keyClick(m_editor->keyView(), Qt::Key_Delete);
        QCOMPARE(document->count(), 0);
    }

    void unsavedChangesGuard()
    {
        ui::MockSetDocument *document = m_editor->document();
        const QString file = path(u"keep.mocks.json"_s);
        QVERIFY(document->addKey(u"answer"_s));
        QVERIFY(m_editor->saveTo(file));
        selectKey(m_editor.get(), u"answer"_s);
        typeOutput(m_editor.get(), u"{\"content\": \"unsaved\"}"_s);
        QVERIFY(document->isModified());

        // New → Cancel: nothing changes.
        m_editor->newAction()->trigger();
        answerBox(u"unsavedChangesBox"_s, QMessageBox::Cancel);
        QCOMPARE(document->filePath(), file);
        QCOMPARE(document->entry(0).outputText, u"{\"content\": \"unsaved\"}"_s);
        QVERIFY(document->isModified());

        // New → Save: written to its file, then a new document.
        m_editor->newAction()->trigger();
        answerBox(u"unsavedChangesBox"_s, QMessageBox::Save);
        QTRY_COMPARE(document->count(), 0);
        QVERIFY(document->filePath().isEmpty());
        QCOMPARE(MockSet::load(file)->value(u"answer"_s)->output["content"].get<std::string>(), "unsaved");

        // Open from the recent menu with changes → Discard: the file opens as saved.
        QVERIFY(document->addKey(u"scratch"_s));
        QList<QAction *> recent = m_editor->recentMenu()->actions();
        QCOMPARE(recent.first()->data().toString(), file);
        recent.first()->trigger();
        answerBox(u"unsavedChangesBox"_s, QMessageBox::Discard);
        QTRY_COMPARE(document->filePath(), file);
        QCOMPARE(document->keys(), QStringList{u"answer"_s});
        QVERIFY(!document->isModified());

        // Unmodified: no question at all.
        m_editor->newAction()->trigger();
        QCOMPARE(document->count(), 0);
        QVERIFY(!QApplication::activeModalWidget());
    }

    void recentFilesKeepEightNewestFirst()
    {
        QVERIFY(m_editor->document()->addKey(u"a"_s));
        for (int i = 0; i < 10; ++i)
            QVERIFY(m_editor->saveTo(path(u"set%1.mocks.json"_s.arg(i))));
        const QStringList recent = m_editor->recentFiles();
        QCOMPARE(recent.size(), 8);
        QCOMPARE(recent.first(), path(u"set9.mocks.json"_s));
        QCOMPARE(recent.last(), path(u"set2.mocks.json"_s));
        QCOMPARE(m_editor->recentMenu()->actions().size(), 8);
    }

    void coverageAndSchemaForABot()
    {
        LocalBackend backend(exampleBackend(path(u"replay.sqlite"_s)));
        m_editor->setBot(u"research-assistant"_s, &backend);
        ui::MockCoverageModel *coverage = m_editor->coverageModel();
        QTRY_VERIFY(coverage->rowCount() >= 4);
        auto answerOf = [coverage](const QString &path) {
            for (int row = 0; row < coverage->rowCount(); ++row)
                if (coverage->index(row, 0).data(ui::MockCoverageModel::PathRole).toString() == path)
                    return coverage->index(row, ui::MockCoverageModel::AnswerColumn).data().toString();
            return u"(no such step)"_s;
        };
        QCOMPARE(answerOf(u"announce"_s), u"computed"_s);
        QVERIFY(answerOf(u"gather"_s).startsWith(u"nothing"_s));
        QVERIFY(answerOf(u"summarise/answer"_s).startsWith(u"nothing"_s));
        QCOMPARE(m_editor->uncoveredSteps(u"research-assistant"_s, MockSet()),
                 (QStringList{u"“gather”"_s, u"“summarise/answer”"_s}));

        // Add on a bot with uncovered steps adds the first of them, with an example output.
        m_editor->addKeyAction()->trigger();
        QCOMPARE(m_editor->currentKey(), u"gather"_s);
        QCOMPARE(answerOf(u"gather"_s), u"step mock"_s);
        QVERIFY(m_editor->entryView()->outputEdit()->toPlainText().contains(u"\"content\""_s));
        // An action-type mock answers the rest.
        QVERIFY(m_editor->document()->addKey(u"llm.message"_s));
        QCOMPARE(answerOf(u"summarise/answer"_s), u"“llm.message” mock"_s);
        QVERIFY(m_editor->uncoveredSteps(u"research-assistant"_s, *m_editor->mocksForRun(nullptr)).isEmpty());

        // An output that misses its schema is marked, but can still be saved.
        selectKey(m_editor.get(), u"gather"_s);
        typeOutput(m_editor.get(), u"{\"text\": \"no content member\"}"_s);
        const MockEntryProblem problem = m_editor->document()->problem(0);
        QCOMPARE(problem.kind, MockEntryProblem::Schema);
        QVERIFY2(problem.message.contains(u"content"_s), qPrintable(problem.message));
        QVERIFY(m_editor->saveTo(path(u"schema.mocks.json"_s)));
        // A key that is no step of the bot nor an action type is marked too.
        QVERIFY(m_editor->document()->addKey(u"gahter"_s));
        QCOMPARE(m_editor->document()->problem(m_editor->document()->rowOf(u"gahter"_s)).kind, MockEntryProblem::Schema);
    }
};

QTEST_MAIN(TstMockEditor)
#include "tst_mockeditor.moc"
