// The transcript's document (ui/run/transcriptview.h): answers rendered as Markdown, a
// long answer parsed on a worker and put in in pieces, which must end up exactly as the
// whole answer inserted at once would.
#include "core/fold/runfold.h"
#include "tests/ui/runscript.h"
#include "ui/run/transcriptmodel.h"
#include "ui/run/transcriptview.h"

#include <QtGui/QTextBlock>
#include <QtGui/QTextDocument>
#include <QtGui/QTextList>
#include <QtGui/QTextTable>
#include <QtTest/QSignalSpy>
#include <QtWidgets/QScrollBar>
#include <QtTest/QTest>

#include <climits>

using namespace Qt::StringLiterals;
using invoke::Event;
using invoke::InvokeResult;
using invoke::RunFold;
using invoke::test::RunScript;
using invoke::ui::TranscriptModel;
using invoke::ui::TranscriptView;

namespace {

InvokeResult resultOf(const QList<Event> &events)
{
    RunFold fold;
    fold.add(events);
    return fold.result();
}

// A long answer with most of what Markdown has: headings, emphasis, code, lists (one of
// them numbered across many items), a table, a quote, plus a JSON message (fenced).
QStringList longAnswerParts(int paragraphs)
{
    QString prose;
    for (int i = 0; i < paragraphs; ++i) {
        if (i % 40 == 0)
            prose += u"## Part %1\n\n"_s.arg(i / 40);
        prose += u"Paragraph %1: the tide **rises** and *falls* twice a day, `moon` and sun.\n"_s.arg(i)
                 + u"A second line of it, soft-broken.\n\n"_s;
        if (i % 25 == 7) {
            for (int item = 1; item <= 12; ++item)
                prose += u"%1. item %2 of a list\n"_s.arg(item).arg(item);
            prose += u"\n"_s;
        }
        if (i % 60 == 30)
            prose += u"| a | b |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |\n\n> a quote\n\n```\ncode block\n```\n\n"_s;
    }
    return {prose, u"{\"tide\": \"high\", \"n\": 2}"_s, u"The *end*."_s};
}

// Streams `parts` as one answer (one message each, in batches of 50 chunks) and finishes it.
QList<Event> streamAnswer(TranscriptModel &model, RunScript &run, const QStringList &parts, bool finish = true)
{
    QList<Event> events{run.begin(), run.started(u"answer"_s, u"llm.message"_s)};
    for (int m = 0; m < parts.size(); ++m) {
        const QString id = u"m%1"_s.arg(m);
        const QString type = m == 1 && parts.size() == 3 ? u"json"_s : u"text"_s;
        for (qsizetype at = 0; at < parts[m].size(); at += 97)
            events << run.chunk(u"answer"_s, parts[m].mid(at, 97), id, true, type);
    }
    events << run.finished(u"answer"_s, u"llm.message"_s, u"success"_s, u"mock"_s, 5) << run.end();
    for (qsizetype at = 0; at < events.size(); at += 50)
        model.addEvents(events.mid(at, 50));
    if (finish)
        model.finishTurn(resultOf(events));
    return events;
}

// Waits until `count` long answers have been rendered in pieces, and nothing is left.
bool waitRendered(const TranscriptView &view, const QSignalSpy &rendered, int count)
{
    return QTest::qWaitFor([&] { return rendered.count() >= count && !view.isRenderingMarkdown(); }, 60000)
           && rendered.count() == count;
}

} // namespace

class TestTranscriptView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void shortAnswerIsMarkdown()
    {
        TranscriptModel model;
        TranscriptView view;
        view.setModel(&model);
        QSignalSpy rendered(&view, &TranscriptView::markdownRendered);
        model.addUserTurn(u"Why?"_s);
        RunScript run;
        streamAnswer(model, run, {u"Tides are **strong** and `slow`.\n\n- one\n- two"_s});
        QTRY_VERIFY(view.toPlainText().contains(u"Tides are strong and slow."_s));
        QVERIFY(!view.toPlainText().contains(u"**"_s));
        QVERIFY(!view.isRenderingMarkdown());
        QCOMPARE(rendered.count(), 0); // short: inserted at once
        if (const QString dir = qEnvironmentVariable("TRANSCRIPT_PNG_DIR"); !dir.isEmpty()) {
            view.resize(500, 300);
            view.show();
            QVERIFY(view.grab().save(dir + u"/transcript-short.png"_s));
        }

        bool bold = false, list = false;
        for (QTextBlock block = view.document()->begin(); block.isValid(); block = block.next()) {
            list = list || (block.textList() && block.text() == u"two"_s);
            for (auto it = block.begin(); !it.atEnd(); ++it) {
                if (it.fragment().text() == u"strong"_s)
                    bold = it.fragment().charFormat().fontWeight() == QFont::Bold;
            }
        }
        QVERIFY(bold);
        QVERIFY(list);
    }

    // A long answer streamed and finished: the pieces put in on the worker's parse give the
    // same document as inserting the whole Markdown at once (the reference view).
    void longAnswerEqualsWholeInsertion()
    {
        TranscriptModel model;
        TranscriptView view, reference;
        reference.setInlineMarkdownLimit(INT_MAX);
        view.resize(500, 400);
        view.setModel(&model);
        reference.setModel(&model);
        QSignalSpy rendered(&view, &TranscriptView::markdownRendered);

        model.addUserTurn(u"Tell me about tides."_s);
        RunScript run;
        const QStringList parts = longAnswerParts(300);
        const QList<Event> events = streamAnswer(model, run, parts, false);
        QTRY_VERIFY(view.toPlainText().endsWith(u"The *end*."_s)); // plain while it streams
        model.finishTurn(resultOf(events));
        QVERIFY(waitRendered(view, rendered, 1));
        QTRY_COMPARE(view.document()->toHtml(), reference.document()->toHtml());
        QVERIFY(view.toPlainText().contains(u"Paragraph 299: the tide rises and falls"_s));
        if (const QString dir = qEnvironmentVariable("TRANSCRIPT_PNG_DIR"); !dir.isEmpty()) {
            view.show();
            view.verticalScrollBar()->setValue(view.verticalScrollBar()->maximum() / 2);
            QVERIFY(view.grab().save(dir + u"/transcript-long.png"_s));
        }
        QVERIFY(view.toPlainText().endsWith(u"The end."_s));
        QVERIFY(!view.toPlainText().contains(u"**"_s));
    }

    void longAnswerAfterFold()
    {
        TranscriptModel model;
        TranscriptView view, reference;
        reference.setInlineMarkdownLimit(INT_MAX);
        view.setModel(&model);
        reference.setModel(&model);
        QSignalSpy rendered(&view, &TranscriptView::markdownRendered);
        model.addUserTurn(u"Tell me about tides."_s);
        RunScript run;
        streamAnswer(model, run, longAnswerParts(300));
        QVERIFY(waitRendered(view, rendered, 1));
        QTRY_COMPARE(view.document()->toHtml(), reference.document()->toHtml());
        const QString text = view.toPlainText();
        QVERIFY(text.contains(u"Paragraph 0: the tide rises"_s));
        QVERIFY(text.contains(u"\"tide\": \"high\""_s)); // the JSON message, fenced as code
        QVERIFY(text.endsWith(u"The end."_s));
    }

    // Turns added and a conversation put back while pieces go in: every turn ends where
    // it would have, and two long answers rendered after a restore are both whole.
    void turnsChangeWhileRendering()
    {
        TranscriptModel model;
        TranscriptView view, reference;
        reference.setInlineMarkdownLimit(INT_MAX);
        view.setModel(&model);
        reference.setModel(&model);
        QSignalSpy rendered(&view, &TranscriptView::markdownRendered);
        model.addUserTurn(u"First question"_s);
        RunScript run;
        streamAnswer(model, run, longAnswerParts(1500)); // long enough to be seen rendering
        QTRY_VERIFY(view.isRenderingMarkdown());
        model.addUserTurn(u"Second question"_s);
        RunScript second(u"inv-2"_s);
        streamAnswer(model, second, {u"A **short** one."_s});
        QVERIFY(waitRendered(view, rendered, 1));
        QTRY_COMPARE(view.document()->toHtml(), reference.document()->toHtml());
        QVERIFY(view.toPlainText().endsWith(u"A short one."_s));

        const TranscriptModel::Snapshot one = model.snapshot();
        model.clear();
        QTRY_VERIFY(view.toPlainText().isEmpty());
        model.restore(one + one.mid(0, 2));
        QTRY_VERIFY(view.isRenderingMarkdown());
        model.addUserTurn(u"Third"_s); // while the restored answers still go in
        QVERIFY(waitRendered(view, rendered, 3));
        QTRY_COMPARE(view.document()->toHtml(), reference.document()->toHtml());
        QCOMPARE(view.toPlainText().count(u"Paragraph 1499: the tide"_s), 2);
        QVERIFY(view.toPlainText().endsWith(u"Third"_s));

        // Cleared in the middle: nothing of the old answer comes back afterwards.
        model.clear();
        model.restore(one.mid(0, 2));
        QTRY_VERIFY(view.isRenderingMarkdown());
        model.clear();
        QTest::qWait(300);
        QVERIFY(!view.isRenderingMarkdown());
        QVERIFY(view.toPlainText().isEmpty());
        QCOMPARE(rendered.count(), 3);
    }

    // Every block of an answer sits under the speaker line's 12 px margin, not only the
    // first paragraph (the Markdown's own blocks came in at 0): paragraphs, list items, a
    // code block and a table, a quote 12 px further than its own margin. The first
    // paragraph starts right under "Assistant"; the others keep the Markdown's spacing.
    // Inserted at once and in pieces from the worker alike.
    void paragraphsKeepTheBodyMargin()
    {
        TranscriptModel model;
        TranscriptView view, pieces;
        pieces.setInlineMarkdownLimit(0); // every answer through the worker, in pieces
        view.setModel(&model);
        pieces.setModel(&model);
        QSignalSpy rendered(&pieces, &TranscriptView::markdownRendered);
        model.addUserTurn(u"Why?"_s);
        RunScript run;
        streamAnswer(model, run, {u"Paragraph one of the answer.\n\nParagraph two, as far in.\n\nParagraph three.\n\n"
                                  u"- a list item\n- another\n\n> a quote\n\n```\ncode\n```\n\n"
                                  u"| a | b |\n|---|---|\n| 1 | 2 |\n\nParagraph four, the last."_s});
        QTRY_VERIFY(view.toPlainText().contains(u"Paragraph four, the last."_s));
        QVERIFY(waitRendered(pieces, rendered, 1));
        QTRY_COMPARE(pieces.document()->toHtml(), view.document()->toHtml());

        QTextDocument bare; // the Markdown's own margins
        bare.setMarkdown(u"Paragraph one.\n\nParagraph two.\n\n> a quote"_s);
        const qreal spacing = bare.begin().next().blockFormat().topMargin();
        const qreal quote = bare.lastBlock().blockFormat().leftMargin();
        QVERIFY(spacing > 0 && quote > 0);

        for (TranscriptView *shown : {&view, &pieces}) {
            QTextBlock block = shown->document()->begin();
            while (block.isValid() && block.text() != u"Assistant"_s)
                block = block.next();
            QVERIFY(block.isValid());
            int paragraphs = 0, items = 0;
            for (block = block.next(); block.isValid(); block = block.next()) {
                const QTextBlockFormat format = block.blockFormat();
                const QString text = block.text();
                if (QTextCursor(block).currentTable()) { // a cell: the table itself is indented
                    QCOMPARE(QTextCursor(block).currentTable()->format().leftMargin(), 12.0);
                    continue;
                }
                if (text.startsWith(u"Paragraph"_s)) {
                    QVERIFY2(format.leftMargin() == 12, qPrintable(text));
                    QCOMPARE(format.topMargin(), paragraphs == 0 ? 0.0 : spacing);
                    QCOMPARE(format.bottomMargin(), spacing);
                    ++paragraphs;
                } else if (block.textList()) {
                    QCOMPARE(format.leftMargin(), 12.0);
                    ++items;
                } else if (text == u"a quote"_s) {
                    QCOMPARE(format.leftMargin(), quote + 12);
                } else if (text == u"code"_s) {
                    QCOMPARE(format.leftMargin(), 12.0);
                }
            }
            QCOMPARE(paragraphs, 4);
            QCOMPARE(items, 2);
        }
        if (const QString dir = qEnvironmentVariable("TRANSCRIPT_PNG_DIR"); !dir.isEmpty()) {
            view.resize(500, 420);
            view.show();
            QVERIFY(QTest::qWaitForWindowExposed(&view));
            QVERIFY(view.grab().save(dir + u"/transcript-paragraphs.png"_s));
        }
    }
};

QTEST_MAIN(TestTranscriptView)
#include "tst_transcriptview.moc"
