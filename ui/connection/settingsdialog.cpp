#include "ui/connection/settingsdialog.h"
#include "ui/connection/connectiontester.h"
#include "ui/common/icons.h"

#include "core/cache/cachesetting.h"
#include "core/cache/cacheurl.h"
#include "core/config/sandboxsettings.h"
#include "core/config/secretstore.h"
#include "core/datasets/datasetcatalog.h"

#include <QtCore/QSettings>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QDialogButtonBox>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QSpinBox>
#include <QtWidgets/QVBoxLayout>

using namespace Qt::StringLiterals;

namespace invoke::ui {

namespace {
const char ErrorColor[] = "#d0463b";
const char OkColor[] = "#2e9d57";

QString colored(bool ok, const QString &text)
{
    return u"<span style='color:%1'>%2</span>"_s.arg(QLatin1String(ok ? OkColor : ErrorColor), text.toHtmlEscaped());
}
} // namespace

SettingsDialog::SettingsDialog(QSettings *settings, SecretStore *secrets, QWidget *parent)
    : QDialog(parent), m_settings(settings), m_secrets(secrets), m_tester(new ConnectionTester(this)),
      m_baseUrl(new QLineEdit(this)), m_model(new QLineEdit(this)), m_apiKey(new QLineEdit(this)),
      m_datasetFolders(new QLineEdit(this)),
      m_allowUnsandboxedCode(new QCheckBox(tr("Run code steps without a sandbox when bubblewrap is missing (UNSAFE)"), this)),
      m_keyStatus(new QLabel(this)), m_test(new QPushButton(tr("Test connection"), this)),
      m_testResult(new QLabel(this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("Settings")); // Qt adds " — Invoke Studio", the display name
    setMinimumWidth(520);

    const LlmSettings current = LlmSettings::fromSettings(*settings);
    m_baseUrl->setObjectName(u"baseUrl"_s);
    m_baseUrl->setText(current.baseUrl);
    m_baseUrl->setPlaceholderText(u"https://api.openai.com/v1"_s);
    m_model->setObjectName(u"model"_s);
    m_model->setText(current.model);
    m_model->setPlaceholderText(u"gpt-4o-mini"_s);
    m_apiKey->setObjectName(u"apiKey"_s);
    m_apiKey->setEchoMode(QLineEdit::Password);
    m_apiKey->setPlaceholderText(tr("not set"));
    m_apiKey->setEnabled(false); // until the keychain has answered
    m_keyStatus->setObjectName(u"keyStatus"_s);
    m_keyStatus->setWordWrap(true);
    m_keyStatus->setText(tr("Reading the keychain…"));
    m_test->setObjectName(u"testConnection"_s);
    m_testResult->setObjectName(u"testResult"_s);
    m_testResult->setWordWrap(true);

    auto *form = new QFormLayout;
    form->setLabelAlignment(Qt::AlignRight | Qt::AlignVCenter);
    form->addRow(tr("Base URL:"), m_baseUrl);
    form->addRow(tr("Model:"), m_model);
    form->addRow(tr("API key:"), m_apiKey);
    form->addRow(QString(), m_keyStatus);
    auto *testRow = new QHBoxLayout;
    testRow->addWidget(m_test);
    testRow->addWidget(m_testResult, 1);
    form->addRow(QString(), testRow);
    m_datasetFolders->setObjectName(u"datasetFolders"_s);
    m_datasetFolders->setText(settings->value(QLatin1String(datasets::FoldersSettingsKey)).toStringList().join(u"; "_s));
    m_datasetFolders->setPlaceholderText(tr("/path/to/data; /another/folder"));
    m_datasetFolders->setToolTip(tr("Each CSV, JSON Lines, Markdown or text file and each subfolder of these folders "
                                    "becomes a dataset. Used from the next start of Invoke Studio."));
    form->addRow(tr("Dataset folders:"), m_datasetFolders);
    m_allowUnsandboxedCode->setObjectName(u"allowUnsandboxedCode"_s);
    m_allowUnsandboxedCode->setChecked(SandboxSettings::fromSettings(*settings).allowUnsandboxedCode);
    m_allowUnsandboxedCode->setToolTip(
        tr("Without bubblewrap, codeexec steps are refused. Checked, they run with resource limits only: the "
           "code can use the network and read your files. Used from the next start of Invoke Studio."));
    form->addRow(tr("Code steps:"), m_allowUnsandboxedCode);
    m_storedCacheUrl = settings->value(QLatin1String(cache::CacheUrlSettingsKey)).toString();
    m_cacheUrl = new QLineEdit(m_storedCacheUrl, this);
    m_cacheUrl->setObjectName(u"cacheUrl"_s);
    m_cacheUrl->setPlaceholderText(tr("the embedded cache; or postgresql://user@host/db"));
    m_cacheUrl->setToolTip(tr("A file path, sqlite:PATH, or postgresql://user[:password]@host[:port]/db for a cache "
                              "a team shares. A password typed in the URL goes to the keychain. Used from the next "
                              "run; a run already going keeps its cache."));
    form->addRow(tr("Replay cache:"), m_cacheUrl);
    m_cachePassword = new QLineEdit(this);
    m_cachePassword->setObjectName(u"cachePassword"_s);
    m_cachePassword->setEchoMode(QLineEdit::Password);
    m_cachePassword->setPlaceholderText(tr("not set"));
    m_cachePassword->setEnabled(false); // until the keychain has answered
    form->addRow(tr("Cache password:"), m_cachePassword);
    m_secrets->read(cache::cachePasswordSecretName(), this, [this](const SecretResult &r) {
        m_cachePassword->setEnabled(true);
        if (r.ok()) {
            m_storedCachePassword = r.value;
            m_cachePassword->setText(r.value);
        }
    });
    m_historyCap = new QSpinBox(this);
    m_historyCap->setObjectName(u"historyMaxMegabytes"_s);
    m_historyCap->setRange(1, 1 << 20);
    m_historyCap->setSuffix(tr(" MB"));
    m_historyCap->setValue(settings->value(u"history/maxMegabytes"_s, 512).toInt());
    m_historyCap->setToolTip(tr("When the recorded runs take more, the oldest unpinned runs are removed. Used from "
                                "the next start of Invoke Studio."));
    form->addRow(tr("Run history:"), m_historyCap);

    auto *hint = new QLabel(tr("Any OpenAI-compatible chat-completions server works (OpenAI, Ollama, "
                               "llama.cpp, vLLM…). The key is kept in the system keychain, never in a file."), this);
    hint->setWordWrap(true);
    hint->setEnabled(false);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(hint);
    layout->addStretch(1);
    layout->addWidget(m_buttons);

    connect(m_buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::save);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_test, &QPushButton::clicked, this, [this] {
        m_test->setEnabled(false);
        m_testResult->setText(tr("Testing…"));
        m_tester->test(typedSettings());
    });
    connect(m_tester, &ConnectionTester::finished, this, [this](bool ok, const QString &message) {
        m_test->setEnabled(true);
        m_testResult->setText(colored(ok, message));
    });

    m_secrets->read(SecretStore::llmApiKeyName(), this, [this](const SecretResult &r) {
        m_apiKey->setEnabled(true);
        if (r.ok()) {
            m_storedKey = r.value;
            m_apiKey->setText(r.value);
            showKeyStatus(true, tr("The key is stored in the system keychain."));
        } else if (r.status == SecretResult::NotFound) {
            showKeyStatus(true, tr("No key stored (fine for servers that need none, like Ollama)."));
        } else {
            showKeyStatus(false, r.error + u' ' + tr("A key typed here is used until Invoke Studio quits, but cannot be saved."));
        }
    });
}

LlmSettings SettingsDialog::typedSettings() const
{
    LlmSettings s = LlmSettings::fromSettings(*m_settings);
    s.baseUrl = m_baseUrl->text().trimmed();
    s.model = m_model->text().trimmed();
    s.apiKey = m_apiKey->text();
    return s;
}

QPushButton *SettingsDialog::saveButton() const
{
    return m_buttons->button(QDialogButtonBox::Save);
}

QString SettingsDialog::keyStatusText() const
{
    return m_keyStatus->text();
}

QString SettingsDialog::testResultText() const
{
    return m_testResult->text();
}

void SettingsDialog::showKeyStatus(bool ok, const QString &text)
{
    m_keyStatus->setText(colored(ok, text));
}

void SettingsDialog::save()
{
    const LlmSettings typed = typedSettings();
    typed.saveTo(*m_settings); // base URL and model only
    QStringList folders;
    for (const QString &part : m_datasetFolders->text().split(u';'))
        if (const QString folder = part.trimmed(); !folder.isEmpty())
            folders << folder;
    m_settings->setValue(QLatin1String(datasets::FoldersSettingsKey), folders);
    m_settings->setValue(QLatin1String(SandboxSettings::AllowUnsandboxedKey), m_allowUnsandboxedCode->isChecked());
    m_settings->setValue(u"history/maxMegabytes"_s, m_historyCap->value());
    // The cache URL: its password goes to the keychain, the rest to the settings.
    QString cachePassword = m_cachePassword->text();
    QString cacheUrl; // as saved
    if (const QString text = m_cacheUrl->text().trimmed(); text.isEmpty()) {
        m_settings->remove(QLatin1String(cache::CacheUrlSettingsKey));
    } else {
        QString error;
        std::optional<cache::CacheUrl> url = cache::CacheUrl::parse(text, &error);
        if (!url) {
            showKeyStatus(false, tr("Replay cache: %1").arg(cache::maskCacheUrlPassword(error)));
            return;
        }
        if (!url->password.isEmpty())
            cachePassword = std::exchange(url->password, QString());
        cacheUrl = url->toString();
        m_cacheUrl->setText(cacheUrl);
        m_cachePassword->setText(cachePassword);
        m_settings->setValue(QLatin1String(cache::CacheUrlSettingsKey), cacheUrl);
    }
    m_settings->sync();
    // Said once the keychain has the password too, so the engine reads the new one.
    const auto announceCache = [this, cacheUrl](bool passwordSaved) {
        if (cacheUrl == m_storedCacheUrl && !passwordSaved)
            return;
        m_storedCacheUrl = cacheUrl;
        Q_EMIT replayCacheSaved();
    };

    if (cachePassword == m_storedCachePassword) {
        announceCache(false);
        saveApiKey(typed);
        return;
    }
    saveButton()->setEnabled(false);
    auto done = [this, typed, cachePassword, announceCache](const SecretResult &r) {
        saveButton()->setEnabled(true);
        if (r.ok() || (cachePassword.isEmpty() && r.status == SecretResult::NotFound)) {
            m_storedCachePassword = cachePassword;
            announceCache(true);
            saveApiKey(typed);
            return;
        }
        announceCache(false); // the URL is saved: the engine follows it as a restart would
        showKeyStatus(false, tr("The replay cache's password was NOT saved: %1").arg(r.error));
        m_buttons->button(QDialogButtonBox::Cancel)->setText(tr("Close"));
    };
    if (cachePassword.isEmpty())
        m_secrets->remove(cache::cachePasswordSecretName(), this, done);
    else
        m_secrets->write(cache::cachePasswordSecretName(), cachePassword, this, done);
}

void SettingsDialog::saveApiKey(const LlmSettings &typed)
{
    if (typed.apiKey == m_storedKey) {
        Q_EMIT applied(typed);
        accept();
        return;
    }
    saveButton()->setEnabled(false);
    showKeyStatus(true, tr("Saving the key in the keychain…"));
    auto done = [this, typed](const SecretResult &r) {
        saveButton()->setEnabled(true);
        Q_EMIT applied(typed);
        const bool removedNothing = typed.apiKey.isEmpty() && r.status == SecretResult::NotFound;
        if (r.ok() || removedNothing) {
            m_storedKey = typed.apiKey;
            accept();
            return;
        }
        // Say it plainly, and stay open so it is read.
        showKeyStatus(false, tr("The API key was NOT saved: %1 It is used until Invoke Studio quits.").arg(r.error));
        m_buttons->button(QDialogButtonBox::Cancel)->setText(tr("Close"));
    };
    if (typed.apiKey.isEmpty())
        m_secrets->remove(SecretStore::llmApiKeyName(), this, done);
    else
        m_secrets->write(SecretStore::llmApiKeyName(), typed.apiKey, this, done);
}

} // namespace invoke::ui
