// "Steps too" (ui/steps/stephider.h): the step tree hides the steps without a matching
// event, keeping the steps above a match; new steps follow; off shows every step again.
#include "tests/ui/runscript.h"
#include "ui/steps/stephider.h"
#include "ui/steps/steptreemodel.h"

#include <QtWidgets/QTreeView>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using invoke::test::RunScript;
using invoke::ui::StepTreeHider;
using invoke::ui::StepTreeModel;

namespace {

// The paths of the rows the view shows, depth first.
QStringList shownPaths(const QTreeView &view, const StepTreeModel &model, const QModelIndex &parent = {})
{
    QStringList paths;
    for (int row = 0; row < model.rowCount(parent); ++row) {
        if (view.isRowHidden(row, parent))
            continue;
        const QModelIndex index = model.index(row, 0, parent);
        paths.append(index.data(StepTreeModel::PathRole).toString());
        paths += shownPaths(view, model, index);
    }
    return paths;
}

} // namespace

class TestStepHider : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void hidesStepsWithoutMatches()
    {
        StepTreeModel model;
        QTreeView view;
        view.setModel(&model);
        StepTreeHider hider(&view, &model);
        RunScript run;
        model.addEvents({run.begin(), run.started(u"plan"_s, u"utils.echo"_s), run.started(u"research"_s, u"bot.invoke"_s),
                         run.started(u"research/search"_s, u"memory.search"_s),
                         run.started(u"research/summarise"_s, u"llm.message"_s), run.started(u"answer"_s, u"llm.message"_s)});
        const QStringList all{u"plan"_s, u"research"_s, u"research/search"_s, u"research/summarise"_s, u"answer"_s};
        QCOMPARE(shownPaths(view, model), all);

        hider.setMatchingPaths(true, {u"research/summarise"_s, u"answer"_s});
        QCOMPARE(shownPaths(view, model), (QStringList{u"research"_s, u"research/summarise"_s, u"answer"_s}));

        // A step that arrives while it is on is hidden too, after the batch.
        model.addEvents({run.started(u"late"_s, u"utils.echo"_s), run.started(u"research/late"_s, u"utils.echo"_s)});
        QTRY_COMPARE(shownPaths(view, model), (QStringList{u"research"_s, u"research/summarise"_s, u"answer"_s}));
        hider.setMatchingPaths(true, {u"late"_s});
        QCOMPARE(shownPaths(view, model), QStringList{u"late"_s});

        hider.setMatchingPaths(false, {});
        QCOMPARE(shownPaths(view, model).size(), all.size() + 2);
    }
};

QTEST_MAIN(TestStepHider)
#include "tst_stephider.moc"
