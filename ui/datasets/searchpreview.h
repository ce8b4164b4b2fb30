#pragma once
// The search preview: a question typed here is searched as memory.search searches it in
// a run (the same index, ranking, scores and limit) and the hits are listed best first,
// with their score, where they come from (file:line) and their text: exactly the rows a
// bot's memory.search step hands on to the LLM (its output, {"memories": [...]}, shown
// too). Picking a hit shows its row in the table. The search itself is injected: the
// window hands in its Backend's (a server profile asks the server), a test or a tool
// without one searches the local index (localDatasetSearcher).
#include "core/model/json/json.h"

#include <QtWidgets/QWidget>

#include <functional>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QSpinBox;
class QTableWidget;
class QTimer;

namespace invoke::ui {

struct SearchHit
{
    QString id;      // "<file>:<line>"
    QString content;
    double score = 0;
    Json metadata = Json::object();
};

struct SearchAnswer
{
    QList<SearchHit> hits;
    QString error;
    Json output; // the step's output, {"memories": [...]}
};

// Searches `slug` for `query` with `limit`; calls `done` on the caller's thread, never
// after `context` is gone.
using DatasetSearcher =
    std::function<void(const QString &slug, const QString &query, int limit, QObject *context,
                       std::function<void(const SearchAnswer &)> done)>;

// Searches the index file of these folders on a worker thread (core/datasets DatasetStore).
DatasetSearcher localDatasetSearcher(const QStringList &folders, const QString &indexFile);

class SearchPreview : public QWidget
{
    Q_OBJECT
public:
    explicit SearchPreview(QWidget *parent = nullptr);

    void setSearcher(DatasetSearcher searcher);
    // The dataset searched (empty: none, the preview is off).
    void setDataset(const QString &slug);
    QString dataset() const { return m_slug; }
    // Runs the search now (typing waits a moment first).
    void search();
    bool isSearching() const { return m_pending > 0; }

    QLineEdit *queryField() const { return m_query; }
    QSpinBox *limitField() const { return m_limit; }
    QTableWidget *hitTable() const { return m_hits; }
    QPlainTextEdit *outputView() const { return m_output; }
    QLabel *summary() const { return m_summary; }
    const SearchAnswer &answer() const { return m_answer; }

Q_SIGNALS:
    // A hit was picked: its file (as named in the id) and line.
    void hitActivated(const QString &file, int line);
    void searched();

private:
    void show(const SearchAnswer &answer, int generation);

    DatasetSearcher m_searcher;
    QString m_slug;
    SearchAnswer m_answer;
    int m_generation = 0;
    int m_pending = 0;
    QLineEdit *m_query;
    QSpinBox *m_limit;
    QLabel *m_summary;
    QTableWidget *m_hits;
    QPlainTextEdit *m_output;
    QTimer *m_debounce;
};

} // namespace invoke::ui
