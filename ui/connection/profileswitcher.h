#pragma once
// The profile switcher of the studio's toolbar: a combo of the profiles ("Embedded" and
// the saved servers) and a button that opens the profiles dialog. Choosing a profile
// reads its token from the keychain, points the BackendProvider at it and remembers the
// choice for the next start. It knows no window: ui/window/windowaddons.cpp puts it on
// the toolbar and has the window list bots and datasets again when the backend changes.
#include <QtWidgets/QWidget>

class QComboBox;
class QToolButton;

namespace invoke {
class ProfileStore;
}

namespace invoke::ui {

class BackendProvider;

class ProfileSwitcher : public QWidget
{
    Q_OBJECT
public:
    ProfileSwitcher(ProfileStore *profiles, BackendProvider *provider, QWidget *parent = nullptr);

    QComboBox *combo() const { return m_combo; }
    QToolButton *editButton() const { return m_edit; }
    // The profile in use (the one selected, once its backend is set).
    QString currentProfile() const { return m_current; }
    // The endpoint of the profile in use; empty for Embedded.
    QString currentEndpoint() const { return m_endpoint; }

public Q_SLOTS:
    // Reads the profiles again (after the dialog) and keeps the selection when it can.
    void reload();
    void switchTo(const QString &name);
    void editProfiles();

Q_SIGNALS:
    // The backend of `name` is in use.
    void switched(const QString &name);
    // The profile could not be used (e.g. its token could not be read); the previous
    // one stays.
    void failed(const QString &message);

private:
    void selectInCombo(const QString &name);

    ProfileStore *m_profiles;
    BackendProvider *m_provider;
    QComboBox *m_combo;
    QToolButton *m_edit;
    QString m_current;
    QString m_endpoint;
    quint64 m_request = 0; // the latest switch asked for; older token reads are ignored
};

} // namespace invoke::ui
