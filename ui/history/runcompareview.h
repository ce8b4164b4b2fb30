#pragma once
// Two runs side by side (docs/runs.md, Comparing runs): a row per step path
// (core/history/rundiff.h's RunComparison) with each side's status and source and the
// duration and token deltas; the selected step's outputs with a word-level diff (words
// only in A struck through in red, only in B underlined in green), why it missed the
// replay cache in either run (docs/cache.md, Why a replay missed), and the results' diff.
// The first step where the runs diverge is selected when a comparison is shown.
#include "core/history/rundiff.h"

#include <QtWidgets/QWidget>

class QLabel;
class QStandardItemModel;
class QTableView;
class QTextBrowser;

namespace invoke::ui {

class RunCompareView : public QWidget
{
    Q_OBJECT
public:
    enum Column { Path, Status, Source, Duration, Tokens, ColumnCount };

    explicit RunCompareView(QWidget *parent = nullptr);

    // Compares `a` (the older run) with `b`.
    void compare(const history::RunRecord &a, const history::RunRecord &b);
    const history::RunComparison &comparison() const { return m_comparison; }

    QTableView *stepsView() const { return m_steps; }
    // The path of the selected step row, or empty.
    QString selectedPath() const;
    void selectPath(const QString &path);
    // The diff texts as shown (for tests): the selected step's output and the result.
    QString outputDiffText() const;
    QString resultDiffText() const;
    // Why the selected step missed the replay cache in each run, as shown (empty when it did not).
    QString replayMissText() const;

    // HTML of a word diff: removed struck through in red, added underlined in green.
    static QString diffHtml(const QList<history::WordChange> &changes);

private:
    void showStep(int row);

    history::RunComparison m_comparison;
    QLabel *m_title;
    QLabel *m_replayMiss; // why the selected step missed the replay cache, per run
    QStandardItemModel *m_model;
    QTableView *m_steps;
    QTextBrowser *m_outputDiff;
    QTextBrowser *m_resultDiff;
};

} // namespace invoke::ui
