#include "ui/datasets/searchpreview.h"

#include "core/datasets/datasetstore.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QPointer>
#include <QtCore/QThread>
#include <QtCore/QTimer>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QSpinBox>
#include <QtWidgets/QSplitter>
#include <QtWidgets/QTableWidget>
#include <QtWidgets/QVBoxLayout>

using namespace Qt::StringLiterals;

namespace invoke::ui {

DatasetSearcher localDatasetSearcher(const QStringList &folders, const QString &indexFile)
{
    return [folders, indexFile](const QString &slug, const QString &query, int limit, QObject *context,
                                std::function<void(const SearchAnswer &)> done) {
        QPointer<QObject> guard(context);
        QThread *thread = QThread::create([=] {
            SearchAnswer answer;
            const datasets::DatasetStore store(folders, indexFile);
            QString error;
            const auto memories = store.search({slug}, query, limit, &error);
            if (!memories) {
                answer.error = error;
            } else {
                answer.output = datasets::memoriesJson(*memories);
                for (const datasets::Memory &m : *memories)
                    answer.hits.append({m.id, m.content, m.score, m.metadata});
            }
            QMetaObject::invokeMethod(qApp, [guard, done, answer] {
                if (guard)
                    done(answer);
            }, Qt::QueuedConnection);
        });
        QObject::connect(thread, &QThread::finished, thread, &QObject::deleteLater);
        thread->start();
    };
}

SearchPreview::SearchPreview(QWidget *parent)
    : QWidget(parent), m_query(new QLineEdit(this)), m_limit(new QSpinBox(this)), m_summary(new QLabel(this)),
      m_hits(new QTableWidget(0, 4, this)), m_output(new QPlainTextEdit(this)), m_debounce(new QTimer(this))
{
    m_query->setObjectName(u"searchPreviewQuery"_s);
    m_limit->setObjectName(u"searchPreviewLimit"_s);
    m_hits->setObjectName(u"searchPreviewHits"_s);
    m_output->setObjectName(u"searchPreviewOutput"_s);
    m_summary->setObjectName(u"searchPreviewSummary"_s);
    m_query->setPlaceholderText(tr("A question, as a bot would search it"));
    m_query->setClearButtonEnabled(true);
    m_limit->setRange(1, datasets::SearchMaxLimit);
    m_limit->setValue(datasets::SearchDefaultLimit);
    m_limit->setToolTip(tr("memory.search's limit (%1 unless the step sets one)").arg(datasets::SearchDefaultLimit));
    m_summary->setWordWrap(true);
    m_hits->setHorizontalHeaderLabels({tr("#"), tr("Score"), tr("Row"), tr("Text")});
    m_hits->horizontalHeader()->setSectionResizeMode(3, QHeaderView::Stretch);
    m_hits->verticalHeader()->hide();
    m_hits->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_hits->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_hits->setWordWrap(true); // the text is what the bot reads: all of it, not elided
    m_output->setReadOnly(true);
    m_output->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_output->setToolTip(tr("memory.search's output for this question: what the step hands on"));
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(250);

    auto *top = new QHBoxLayout;
    top->addWidget(m_query, 1);
    top->addWidget(new QLabel(tr("Limit:"), this));
    top->addWidget(m_limit);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_hits);
    split->addWidget(m_output);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_summary);
    layout->addWidget(split, 1);

    connect(m_query, &QLineEdit::textChanged, m_debounce, qOverload<>(&QTimer::start));
    connect(m_query, &QLineEdit::returnPressed, this, &SearchPreview::search);
    connect(m_limit, &QSpinBox::valueChanged, m_debounce, qOverload<>(&QTimer::start));
    connect(m_debounce, &QTimer::timeout, this, &SearchPreview::search);
    connect(m_hits, &QTableWidget::cellActivated, this, [this](int row) {
        if (row < 0 || row >= m_answer.hits.size())
            return;
        const Json &meta = m_answer.hits.at(row).metadata;
        Q_EMIT hitActivated(stringField(meta, "file"), int(intField(meta, "line")));
    });
    setDataset({});
}

void SearchPreview::setSearcher(DatasetSearcher searcher)
{
    m_searcher = std::move(searcher);
}

void SearchPreview::setDataset(const QString &slug)
{
    m_slug = slug;
    setEnabled(!slug.isEmpty());
    m_answer = {};
    m_hits->setRowCount(0);
    m_output->clear();
    m_summary->setText(slug.isEmpty() ? tr("Open a dataset to preview what memory.search finds in it.")
                                      : tr("Type a question: the rows memory.search would hand a bot for it, from "
                                           "\"%1\".").arg(slug));
    if (!slug.isEmpty() && !m_query->text().trimmed().isEmpty())
        search();
}

void SearchPreview::search()
{
    m_debounce->stop();
    if (m_slug.isEmpty() || !m_searcher)
        return;
    const int generation = ++m_generation;
    ++m_pending;
    m_summary->setText(tr("Searching…"));
    m_searcher(m_slug, m_query->text(), m_limit->value(), this, [this, generation](const SearchAnswer &answer) {
        --m_pending;
        show(answer, generation);
    });
}

void SearchPreview::show(const SearchAnswer &answer, int generation)
{
    if (generation != m_generation)
        return; // a later question is on its way
    m_answer = answer;
    m_hits->setRowCount(int(answer.hits.size()));
    for (int row = 0; row < answer.hits.size(); ++row) {
        const SearchHit &hit = answer.hits.at(row);
        const QString place = u"%1:%2"_s.arg(stringField(hit.metadata, "file")).arg(intField(hit.metadata, "line"));
        // A long row is shown in part (its whole text is in the output below).
        constexpr qsizetype Shown = 1000;
        QString text = hit.content.simplified();
        if (text.size() > Shown)
            text = text.left(Shown) + u'…';
        const QStringList cells{QString::number(row + 1), QString::number(hit.score, 'f', 3), place, text};
        for (int c = 0; c < cells.size(); ++c) {
            auto *item = new QTableWidgetItem(cells.at(c));
            item->setToolTip(c == 3 ? hit.content.left(4 * Shown) : QString());
            if (c < 2)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            m_hits->setItem(row, c, item);
        }
    }
    m_hits->resizeColumnToContents(0);
    m_hits->resizeColumnToContents(1);
    m_hits->resizeColumnToContents(2);
    m_hits->resizeRowsToContents();
    m_output->setPlainText(answer.error.isEmpty() ? QString::fromUtf8(dumpJson(answer.output, 2)) : QString());
    if (!answer.error.isEmpty())
        m_summary->setText(tr("The search failed: %1").arg(answer.error));
    else if (m_query->text().trimmed().isEmpty())
        m_summary->setText(tr("Type a question: a question without words finds nothing."));
    else if (answer.hits.isEmpty())
        m_summary->setText(tr("No row matches: memory.search would hand the bot no memories."));
    else
        m_summary->setText((answer.hits.size() == 1
                                ? tr("This row is what memory.search hands the bot (limit %1).").arg(m_limit->value())
                                : tr("These %1 rows are what memory.search hands the bot (limit %2), best first.")
                                      .arg(answer.hits.size())
                                      .arg(m_limit->value()))
                           + u' ' + tr("Pick one to see it in the table."));
    Q_EMIT searched();
}

} // namespace invoke::ui
