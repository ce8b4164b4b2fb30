#pragma once
#include "core/config/llmsettings.h"

#include <QtWidgets/QDialog>

class QCheckBox;
class QSpinBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSettings;

namespace invoke {
class SecretStore;
}

namespace invoke::ui {

class ConnectionTester;

// The LLM provider: base URL and model (saved in settings) and the API key (saved in
// the OS keychain through SecretStore, never in settings). "Test connection" tries the
// values as typed. When the keychain cannot store the key the dialog says so, stays
// open, and the key is used for this session only.
class SettingsDialog : public QDialog
{
    Q_OBJECT
public:
    SettingsDialog(QSettings *settings, SecretStore *secrets, QWidget *parent = nullptr);

    // The values as typed (key included).
    LlmSettings typedSettings() const;

    QLineEdit *baseUrlField() const { return m_baseUrl; }
    QLineEdit *modelField() const { return m_model; }
    QLineEdit *apiKeyField() const { return m_apiKey; }
    QLineEdit *datasetFoldersField() const { return m_datasetFolders; }
    QLineEdit *cacheUrlField() const { return m_cacheUrl; }
    QLineEdit *cachePasswordField() const { return m_cachePassword; }
    QCheckBox *allowUnsandboxedCodeBox() const { return m_allowUnsandboxedCode; }
    QPushButton *testButton() const { return m_test; }
    QPushButton *saveButton() const;
    QString keyStatusText() const;
    QString testResultText() const;

Q_SIGNALS:
    // The settings to use from now on, key included (saved or session-only).
    void applied(const invoke::LlmSettings &settings);
    // The replay cache's URL or password was saved changed: the embedded engine takes it
    // for its next run (core/backend/localcachesetting.h; running ones keep theirs).
    void replayCacheSaved();

private:
    void save();
    void showKeyStatus(bool ok, const QString &text);
    void saveApiKey(const LlmSettings &typed);

    QSettings *m_settings;
    SecretStore *m_secrets;
    ConnectionTester *m_tester;
    QString m_storedKey; // what the keychain held when the dialog opened
    QLineEdit *m_baseUrl;
    QLineEdit *m_model;
    QLineEdit *m_apiKey;
    QLineEdit *m_datasetFolders; // "; "-separated, saved under datasets::FoldersSettingsKey
    QCheckBox *m_allowUnsandboxedCode; // SandboxSettings::AllowUnsandboxedKey, off by default
    QSpinBox *m_historyCap = nullptr;  // history/maxMegabytes: the run history's size cap (docs/runs.md)
    // The replay cache's URL (settings, without its password) and its password (keychain).
    QLineEdit *m_cacheUrl = nullptr;
    QLineEdit *m_cachePassword = nullptr;
    QString m_storedCachePassword;
    QString m_storedCacheUrl; // what the settings held when the dialog opened, or saved since
    QLabel *m_keyStatus;
    QPushButton *m_test;
    QLabel *m_testResult;
    QDialogButtonBox *m_buttons;
};

} // namespace invoke::ui
