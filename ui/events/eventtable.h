#pragma once
// How a table of a run's events looks wherever one is shown (the Events tab,
// ui/events/eventsview.cpp; Follow Step, ui/follow/followstepview.cpp): one row per
// event, a text pane under it with the selected event in full.
class QPlainTextEdit;
class QTableView;

namespace invoke::ui {

// Fixed row heights and no grid: a QTreeView relays out every row on each insert, which
// stalls the window for 100+ ms at 200k events (tests/bench/bench_studio_models). One
// row selected at a time, alternating colours, the last column stretched.
void setUpEventTable(QTableView *view);

// The widths of the seq, time, type and step columns; call it once the view has its
// model (a view without one has no columns to size).
void sizeEventColumns(QTableView *view, int stepColumnWidth);

// The pane that shows the selected event: read only, fixed-width font, a hint while none is.
void setUpEventDetail(QPlainTextEdit *detail);

} // namespace invoke::ui
