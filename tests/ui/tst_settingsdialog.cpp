// The LLM settings: base URL and model in settings, the API key in the real keychain
// (gnome-keyring over a private D-Bus session, as scripts/test.sh runs it), "Test
// connection" against a real HTTP server, and plain words when no keychain exists.
#include "studiofixture.h"

#include "tests/support/openaistubserver.h"
#include "core/cache/cachesetting.h"
#include "core/config/sandboxsettings.h"
#include "core/datasets/datasetcatalog.h"
#include "ui/connection/settingsdialog.h"

#include <QtCore/QFile>
#include <QtCore/QProcess>
#include <QtCore/QStandardPaths>
#include <QtTest/QSignalSpy>
#include <QtWidgets/QApplication>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QPushButton>

#include <optional>

using namespace Qt::StringLiterals;
using namespace invoke;
using namespace invoke::test;
using invoke::ui::SettingsDialog;

namespace {

bool isChild()
{
    return qEnvironmentVariableIsSet("INVOKE_NO_KEYCHAIN_CHILD");
}

void typeInto(QLineEdit *field, const QString &text)
{
    field->setFocus();
    field->selectAll();
    QTest::keyClicks(field, text);
}

std::optional<SecretResult> readSecret(SecretStore &store)
{
    std::optional<SecretResult> result;
    QObject context;
    store.read(SecretStore::llmApiKeyName(), &context, [&](const SecretResult &r) { result = r; });
    QTest::qWaitFor([&] { return result.has_value(); }, 10000);
    return result;
}

} // namespace

class TstSettingsDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        if (!isChild() && qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS")) {
            QFAIL("DBUS_SESSION_BUS_ADDRESS is not set: these tests need a D-Bus session with an "
                  "unlocked gnome-keyring (run them through scripts/test.sh).");
        }
    }

    void testConnectionSucceedsAndSendsTheKey()
    {
        OpenAiStubServer llm;
        QVERIFY(llm.listen());
        llm.setReply(StubReply::text({u"pong"_s}));
        StudioFixture studio;
        SettingsDialog dialog(&studio.settings, &studio.secrets);
        dialog.show();
        QTRY_VERIFY(dialog.apiKeyField()->isEnabled()); // the keychain answered
        typeInto(dialog.baseUrlField(), llm.baseUrl());
        typeInto(dialog.modelField(), u"stub-model"_s);
        typeInto(dialog.apiKeyField(), u"sk-test-123"_s);
        QTest::mouseClick(dialog.testButton(), Qt::LeftButton);
        QTRY_VERIFY2(dialog.testResultText().contains(u"Connected"_s), qPrintable(dialog.testResultText()));
        QVERIFY(llm.requestCount() >= 1);
        QCOMPARE(llm.requests().first().header("Authorization"), QByteArray("Bearer sk-test-123"));
    }

    void testConnectionSaysWhatFailed()
    {
        OpenAiStubServer llm;
        QVERIFY(llm.listen());
        llm.setReply(StubReply::error(401, u"Incorrect API key provided"_s));
        StudioFixture studio;
        SettingsDialog dialog(&studio.settings, &studio.secrets);
        dialog.show();
        typeInto(dialog.baseUrlField(), llm.baseUrl());
        QTest::mouseClick(dialog.testButton(), Qt::LeftButton);
        QTRY_VERIFY2(dialog.testResultText().contains(u"401"_s), qPrintable(dialog.testResultText()));
        QVERIFY(dialog.testResultText().contains(u"Incorrect API key provided"_s));
        QVERIFY(dialog.testResultText().contains(u"rejected"_s));

        // Nothing listening at all.
        typeInto(dialog.baseUrlField(), u"http://127.0.0.1:9/v1"_s);
        QTest::mouseClick(dialog.testButton(), Qt::LeftButton);
        QTRY_VERIFY2(dialog.testResultText().contains(u"Could not reach"_s), qPrintable(dialog.testResultText()));
    }

    void saveKeepsTheKeyInTheKeychainOnly()
    {
        StudioFixture studio;
        SettingsDialog dialog(&studio.settings, &studio.secrets);
        QSignalSpy applied(&dialog, &SettingsDialog::applied);
        dialog.show();
        QTRY_VERIFY(dialog.apiKeyField()->isEnabled());
        typeInto(dialog.baseUrlField(), u"http://127.0.0.1:11434/v1"_s);
        typeInto(dialog.modelField(), u"llama3"_s);
        typeInto(dialog.apiKeyField(), u"sk-secret-value-42"_s);
        QTest::mouseClick(dialog.saveButton(), Qt::LeftButton);
        QTRY_COMPARE(applied.count(), 1);
        QTRY_COMPARE(dialog.result(), int(QDialog::Accepted));
        QCOMPARE(applied.at(0).at(0).value<LlmSettings>().apiKey, u"sk-secret-value-42"_s);

        studio.settings.sync();
        QFile file(studio.settings.fileName());
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray written = file.readAll();
        QVERIFY(written.contains("11434"));
        QVERIFY2(!written.contains("sk-secret-value-42"), written.constData());

        const std::optional<SecretResult> stored = readSecret(studio.secrets);
        QVERIFY(stored && stored->ok());
        QCOMPARE(stored->value, u"sk-secret-value-42"_s);
    }

    void cacheUrlKeepsItsPasswordInTheKeychainOnly()
    {
        StudioFixture studio;
        SettingsDialog dialog(&studio.settings, &studio.secrets);
        dialog.show();
        QTRY_VERIFY(dialog.apiKeyField()->isEnabled() && dialog.cachePasswordField()->isEnabled());
        QCOMPARE(dialog.cachePasswordField()->echoMode(), QLineEdit::Password);
        typeInto(dialog.cacheUrlField(), u"postgresql://team:pg-secret-77@db.example:5433/invoke?sslmode=require"_s);
        QTest::mouseClick(dialog.saveButton(), Qt::LeftButton);
        QTRY_COMPARE(dialog.result(), int(QDialog::Accepted));
        QCOMPARE(dialog.cacheUrlField()->text(), u"postgresql://team@db.example:5433/invoke?sslmode=require"_s);

        studio.settings.sync();
        QFile file(studio.settings.fileName());
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray written = file.readAll();
        QVERIFY2(written.contains("db.example:5433"), written.constData());
        QVERIFY2(!written.contains("pg-secret-77"), written.constData());

        std::optional<SecretResult> stored;
        QObject context;
        studio.secrets.read(cache::cachePasswordSecretName(), &context, [&](const SecretResult &r) { stored = r; });
        QTRY_VERIFY_WITH_TIMEOUT(stored.has_value(), 10000);
        QVERIFY(stored->ok());
        QCOMPARE(stored->value, u"pg-secret-77"_s);

        // Opened again: the URL as saved, the password from the keychain, masked.
        SettingsDialog again(&studio.settings, &studio.secrets);
        QTRY_VERIFY(again.cachePasswordField()->isEnabled());
        QCOMPARE(again.cacheUrlField()->text(), u"postgresql://team@db.example:5433/invoke?sslmode=require"_s);
        QCOMPARE(again.cachePasswordField()->text(), u"pg-secret-77"_s);

        // A URL that does not parse is refused with a message, and nothing is saved.
        typeInto(again.cacheUrlField(), u"postgresql://team:pw@/nodb"_s);
        QTest::mouseClick(again.saveButton(), Qt::LeftButton);
        QVERIFY2(again.keyStatusText().contains(u"Replay cache"_s), qPrintable(again.keyStatusText()));
        QVERIFY(!again.keyStatusText().contains(u":pw@"_s));
        QCOMPARE(again.result(), int(QDialog::Rejected));
    }

    void datasetFoldersAreSaved()
    {
        StudioFixture studio;
        SettingsDialog dialog(&studio.settings, &studio.secrets);
        dialog.show();
        QTRY_VERIFY(dialog.apiKeyField()->isEnabled());
        typeInto(dialog.datasetFoldersField(), u" /data/one ;; /data/two "_s);
        QTest::mouseClick(dialog.saveButton(), Qt::LeftButton);
        QTRY_COMPARE(dialog.result(), int(QDialog::Accepted));
        QCOMPARE(studio.settings.value(QLatin1String(datasets::FoldersSettingsKey)).toStringList(),
                 (QStringList{u"/data/one"_s, u"/data/two"_s}));
        const SettingsDialog again(&studio.settings, &studio.secrets);
        QCOMPARE(again.datasetFoldersField()->text(), u"/data/one; /data/two"_s);
    }

    void unsandboxedCodeIsOffUntilChecked()
    {
        // Code without a sandbox is unsafe: off unless the user checks it, then saved.
        StudioFixture studio;
        SettingsDialog dialog(&studio.settings, &studio.secrets);
        dialog.show();
        QTRY_VERIFY(dialog.apiKeyField()->isEnabled());
        QVERIFY(!dialog.allowUnsandboxedCodeBox()->isChecked());
        QVERIFY(dialog.allowUnsandboxedCodeBox()->text().contains(u"UNSAFE"_s));
        QVERIFY(!SandboxSettings::fromSettings(studio.settings).allowUnsandboxedCode);
        QTest::mouseClick(dialog.allowUnsandboxedCodeBox(), Qt::LeftButton);
        QTest::mouseClick(dialog.saveButton(), Qt::LeftButton);
        QTRY_COMPARE(dialog.result(), int(QDialog::Accepted));
        QVERIFY(SandboxSettings::fromSettings(studio.settings).allowUnsandboxedCode);
        const SettingsDialog again(&studio.settings, &studio.secrets);
        QVERIFY(again.allowUnsandboxedCodeBox()->isChecked());
    }

    void windowUsesTheKeyFromTheKeychain()
    {
        StudioFixture studio({}, LlmSettings{u"http://127.0.0.1:9/v1"_s, u"m"_s, {}, 10});
        std::optional<SecretResult> written;
        studio.secrets.write(SecretStore::llmApiKeyName(), u"sk-from-keychain"_s, &studio.secrets,
                             [&](const SecretResult &r) { written = r; });
        QTRY_VERIFY(written.has_value());
        QVERIFY2(written->ok(), qPrintable(written->error));
        ui::MainWindow *window = studio.open();
        LocalBackend &backend = studio.backend->local();
        QObject::connect(window, &ui::MainWindow::llmSettingsChanged, &backend, &LocalBackend::setLlmSettings);
        QTRY_COMPARE(window->llmSettings().apiKey, u"sk-from-keychain"_s);
        QTRY_COMPARE(backend.llmSettings().apiKey, u"sk-from-keychain"_s);
    }

    void noKeychainSaysSoAndDoesNotPretend()
    {
        if (!isChild()) {
            // Again in a child process with no session bus at all.
            QProcess child;
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.remove(u"DBUS_SESSION_BUS_ADDRESS"_s);
            env.remove(u"DISPLAY"_s);
            env.remove(u"WAYLAND_DISPLAY"_s);
            env.insert(u"INVOKE_NO_KEYCHAIN_CHILD"_s, u"1"_s);
            child.setProcessEnvironment(env);
            child.setProcessChannelMode(QProcess::MergedChannels);
            child.start(QCoreApplication::applicationFilePath(), {u"noKeychainSaysSoAndDoesNotPretend"_s});
            QVERIFY(child.waitForFinished(60000));
            const QByteArray output = child.readAll();
            QVERIFY2(child.exitCode() == 0, output.constData());
            QVERIFY2(output.contains("PASS   : TstSettingsDialog::noKeychainSaysSoAndDoesNotPretend()"), output.constData());
            return;
        }
        StudioFixture studio;
        SettingsDialog dialog(&studio.settings, &studio.secrets);
        QSignalSpy applied(&dialog, &SettingsDialog::applied);
        dialog.show();
        QTRY_VERIFY2(dialog.keyStatusText().contains(u"No keychain is available"_s), qPrintable(dialog.keyStatusText()));
        typeInto(dialog.baseUrlField(), u"http://127.0.0.1:11434/v1"_s);
        typeInto(dialog.apiKeyField(), u"sk-nowhere-to-go"_s);
        QTest::mouseClick(dialog.saveButton(), Qt::LeftButton);
        QTRY_COMPARE(applied.count(), 1);
        QVERIFY2(dialog.keyStatusText().contains(u"NOT saved"_s), qPrintable(dialog.keyStatusText()));
        QVERIFY(dialog.isVisible()); // it stays open so the user reads it
        QCOMPARE(applied.at(0).at(0).value<LlmSettings>().apiKey, u"sk-nowhere-to-go"_s); // this session only
    }
};

QTEST_MAIN(TstSettingsDialog)
#include "tst_settingsdialog.moc"
