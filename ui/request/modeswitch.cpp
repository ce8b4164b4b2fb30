#include "ui/request/modeswitch.h"
#include "ui/common/icons.h"

#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QFileDialog>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QToolButton>
#include <QtWidgets/QVBoxLayout>

using namespace Qt::StringLiterals;

namespace invoke::ui {

namespace {
enum Entry { LiveEntry, ReplayEntry, RefreshEntry, ManualEntry };

bool isBundled(const QString &path)
{
    return path.startsWith(u":/mocks/"_s);
}
} // namespace

ModeSwitch::ModeSwitch(QWidget *parent)
    : QWidget(parent), m_mode(new QComboBox(this)), m_mockRow(new QWidget(this)),
      m_path(new QLineEdit), m_open(new QToolButton), m_useBundled(new QPushButton(this)),
      m_help(new QLabel(this))
{
    m_mode->setObjectName(u"modeBox"_s);
    m_mode->addItem(tr("Live"));
    m_mode->addItem(tr("Replay"));
    m_mode->addItem(tr("Replay (refresh)"));
    m_mode->addItem(tr("Manual"));
    m_mode->setItemData(LiveEntry, tr("Every action really runs (the LLM is called)."), Qt::ToolTipRole);
    m_mode->setItemData(ReplayEntry, tr("Answers come from the replay cache; a miss runs live and is stored."), Qt::ToolTipRole);
    m_mode->setItemData(RefreshEntry, tr("Runs live and overwrites the replay cache."), Qt::ToolTipRole);
    m_mode->setItemData(ManualEntry, tr("Answers come from a mock set you wrote; nothing is called."), Qt::ToolTipRole);

    m_path->setObjectName(u"mockFile"_s);
    m_path->setReadOnly(true);
    m_path->setPlaceholderText(tr("No mock set chosen"));
    m_open->setObjectName(u"openMocks"_s);
    m_open->setIcon(icon(u"open"_s));
    m_open->setText(tr("Open…"));
    m_open->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_open->setToolTip(tr("Choose a mock-set file (*.mocks.json)"));
    auto *row = new QHBoxLayout(m_mockRow);
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(m_path, 1);
    row->addWidget(m_open);

    m_useBundled->setObjectName(u"useBundledMocks"_s);
    m_help->setWordWrap(true);
    m_help->setEnabled(false);

    auto *form = new QFormLayout;
    form->setContentsMargins(0, 0, 0, 0);
    form->setLabelAlignment(Qt::AlignRight | Qt::AlignVCenter);
    form->addRow(tr("Mode:"), m_mode);
    form->addRow(tr("Mock set:"), m_mockRow);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(form);
    layout->addWidget(m_useBundled);
    layout->addWidget(m_help);

    connect(m_mode, &QComboBox::currentIndexChanged, this, [this] {
        updateRows();
        Q_EMIT modeChanged();
    });
    connect(m_open, &QToolButton::clicked, this, &ModeSwitch::openFile);
    connect(m_useBundled, &QPushButton::clicked, this, [this] { setMockFile(bundledMockFile(m_botKey)); });
    updateRows();
}

Mode ModeSwitch::mode() const
{
    switch (m_mode->currentIndex()) {
    case ReplayEntry: return Mode::replay(false);
    case RefreshEntry: return Mode::replay(true);
    case ManualEntry: return Mode::manual();
    default: return Mode::live();
    }
}

void ModeSwitch::setMode(const Mode &mode)
{
    int entry = LiveEntry;
    if (mode.kind == Mode::Replay)
        entry = mode.refresh ? RefreshEntry : ReplayEntry;
    else if (mode.kind == Mode::Manual)
        entry = ManualEntry;
    m_mode->setCurrentIndex(entry);
}

void ModeSwitch::setMockFile(const QString &path)
{
    if (path == m_mockFile)
        return;
    m_mockFile = path;
    m_path->setText(isBundled(path) ? tr("%1 (bundled example)").arg(QFileInfo(path).fileName())
                                    : QDir::toNativeSeparators(path));
    m_path->setToolTip(path);
    updateRows();
    Q_EMIT mockFileChanged(path);
}

void ModeSwitch::setBotKey(const QString &key)
{
    m_botKey = key;
    // A bundled set belongs to its example: follow the bot instead of sending the
    // previous example's answers to this one. No bot (yet) changes nothing.
    if (!key.isEmpty() && isBundled(m_mockFile))
        setMockFile(bundledMockFile(key));
    updateRows();
}

QString ModeSwitch::bundledMockFile(const QString &botKey)
{
    if (botKey.isEmpty())
        return {};
    const QString path = u":/mocks/"_s + botKey + u".mocks.json"_s;
    return QFileInfo::exists(path) ? path : QString();
}

std::optional<MockSet> ModeSwitch::mocks(QString *error) const
{
    if (mode().kind != Mode::Manual)
        return MockSet();
    if (m_provider)
        return m_provider(error);
    if (m_mockFile.isEmpty()) {
        *error = bundledMockFile(m_botKey).isEmpty()
                     ? tr("Manual mode needs a mock set: choose a mock-set file with Open….")
                     : tr("Manual mode needs a mock set: choose a file with Open…, or use the bot's bundled example mock set.");
        return std::nullopt;
    }
    QString loadError;
    std::optional<MockSet> set = MockSet::load(m_mockFile, &loadError);
    if (!set)
        *error = tr("The mock set could not be read: %1").arg(loadError);
    return set;
}

void ModeSwitch::setMockProvider(std::function<std::optional<MockSet>(QString *)> provider)
{
    m_provider = std::move(provider);
}

void ModeSwitch::setMockDisplay(const QString &text)
{
    m_display = text;
    updateRows();
    if (text.isEmpty())
        m_path->setText(isBundled(m_mockFile) ? tr("%1 (bundled example)").arg(QFileInfo(m_mockFile).fileName())
                                              : QDir::toNativeSeparators(m_mockFile));
    else
        m_path->setText(text);
}

void ModeSwitch::openFile()
{
    const QString start = m_mockFile.isEmpty() || isBundled(m_mockFile) ? QDir::homePath()
                                                                        : QFileInfo(m_mockFile).absolutePath();
    const QString path = QFileDialog::getOpenFileName(this, tr("Open a mock set"), start,
                                                      tr("Mock sets (*.mocks.json *.json);;All files (*)"));
    if (!path.isEmpty())
        setMockFile(path);
}

void ModeSwitch::updateRows()
{
    const bool manual = m_mode->currentIndex() == ManualEntry;
    m_mockRow->setEnabled(manual);
    const QString bundled = bundledMockFile(m_botKey);
    const bool offer = manual && m_mockFile.isEmpty() && m_display.isEmpty() && !bundled.isEmpty();
    m_useBundled->setText(tr("Use the bundled mock set %1").arg(QFileInfo(bundled).fileName()));
    m_useBundled->setVisible(offer);
    if (manual && m_mockFile.isEmpty() && m_display.isEmpty() && bundled.isEmpty())
        m_help->setText(tr("Manual mode answers every action from a mock set: open one to run."));
    else
        m_help->setText(m_mode->itemData(m_mode->currentIndex(), Qt::ToolTipRole).toString());
    m_help->setVisible(!m_help->text().isEmpty());
}

} // namespace invoke::ui
