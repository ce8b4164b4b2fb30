#pragma once
// Add, edit and remove server profiles: a name and an endpoint (kept in settings) and a
// token (kept in the OS keychain, never in settings). "Test connection" lists the bots
// of the endpoint with the values as typed. When the keychain cannot store the token the
// dialog says so; the name and endpoint are still saved.
#include <QtWidgets/QDialog>

class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;

namespace invoke {
class ProfileStore;
class RemoteBackend;
}

namespace invoke::ui {

class ProfilesDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ProfilesDialog(ProfileStore *profiles, QWidget *parent = nullptr);
    ~ProfilesDialog() override;

    void selectProfile(const QString &name); // a remote profile; others start a new one

    QListWidget *list() const { return m_list; }
    QLineEdit *nameField() const { return m_name; }
    QLineEdit *endpointField() const { return m_endpoint; }
    QLineEdit *tokenField() const { return m_token; }
    QPushButton *addButton() const { return m_add; }
    QPushButton *removeButton() const { return m_remove; }
    QPushButton *saveButton() const { return m_save; }
    QPushButton *testButton() const { return m_test; }
    QString statusText() const;
    QString testResultText() const;

public Q_SLOTS:
    void newProfile();
    void save();
    void removeSelected();
    void testConnection();

Q_SIGNALS:
    // Profiles were saved or removed (and their tokens written), or a save failed after
    // the settings part.
    void profilesChanged();
    void saved(const QString &name);

private:
    void fillList(const QString &select);
    void load(const QString &name);
    void showStatus(bool ok, const QString &text);

    ProfileStore *m_profiles;
    QString m_editing; // the profile in the form; empty for a new one
    QListWidget *m_list;
    QLineEdit *m_name;
    QLineEdit *m_endpoint;
    QLineEdit *m_token;
    QPushButton *m_add;
    QPushButton *m_remove;
    QPushButton *m_save;
    QPushButton *m_test;
    QLabel *m_status;
    QLabel *m_testResult;
    RemoteBackend *m_tester = nullptr;
};

} // namespace invoke::ui
