#include "ui/run/resultview.h"
#include "ui/common/icons.h"

#include "core/format/formatter.h"

#include <QtGui/QClipboard>
#include <QtGui/QFontDatabase>
#include <QtGui/QGuiApplication>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QToolButton>
#include <QtWidgets/QVBoxLayout>

using namespace Qt::StringLiterals;

namespace invoke::ui {

ResultView::ResultView(QWidget *parent)
    : QWidget(parent), m_format(new QComboBox(this)), m_verbose(new QCheckBox(tr("Verbose"), this)),
      m_copy(new QToolButton(this)), m_text(new QPlainTextEdit(this))
{
    m_format->setObjectName(u"resultFormat"_s);
    m_format->addItem(tr("Text"), int(OutputFormat::Text));
    m_format->addItem(tr("JSON summary"), int(OutputFormat::Json));
    m_format->addItem(tr("Events"), int(OutputFormat::Events));
    m_verbose->setObjectName(u"resultVerbose"_s);
    m_verbose->setToolTip(tr("List every step in the text output"));
    m_copy->setObjectName(u"copyResult"_s);
    m_copy->setIcon(icon(u"copy"_s));
    m_copy->setText(tr("Copy"));
    m_copy->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_copy->setAutoRaise(true);
    m_text->setObjectName(u"resultText"_s);
    m_text->setReadOnly(true);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    // Long answers wrap at the pane's width (a JSON line too long to fit breaks anywhere).
    m_text->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_text->setWordWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);

    auto *bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Format:"), this));
    bar->addWidget(m_format);
    bar->addWidget(m_verbose);
    bar->addStretch(1);
    bar->addWidget(m_copy);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    layout->addWidget(m_text, 1);

    connect(m_format, &QComboBox::currentIndexChanged, this, [this] {
        m_verbose->setEnabled(format() == OutputFormat::Text);
        render();
    });
    connect(m_verbose, &QCheckBox::toggled, this, &ResultView::render);
    connect(m_copy, &QToolButton::clicked, this, [this] { QGuiApplication::clipboard()->setText(text()); });
    clear();
}

void ResultView::setResult(const InvokeResult &result)
{
    m_result = result;
    render();
}

void ResultView::clear()
{
    m_result.reset();
    render();
}

void ResultView::setFormat(OutputFormat format)
{
    m_format->setCurrentIndex(m_format->findData(int(format)));
}

OutputFormat ResultView::format() const
{
    return OutputFormat(m_format->currentData().toInt());
}

void ResultView::setVerbose(bool verbose)
{
    m_verbose->setChecked(verbose);
}

QString ResultView::text() const
{
    return m_result ? m_text->toPlainText() : QString();
}

void ResultView::render()
{
    m_copy->setEnabled(m_result.has_value());
    if (!m_result) {
        m_text->setPlainText({});
        m_text->setPlaceholderText(tr("The result appears here when a run finishes."));
        return;
    }
    m_text->setPlainText(format::render(*m_result, format(), m_verbose->isChecked()));
}

} // namespace invoke::ui
