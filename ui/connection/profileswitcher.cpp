#include "ui/connection/profileswitcher.h"
#include "ui/connection/backendprovider.h"
#include "ui/connection/profilesdialog.h"

#include "core/backend/remotebackend.h"
#include "core/config/profiles.h"

#include <QtWidgets/QComboBox>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QToolButton>

using namespace Qt::StringLiterals;

namespace invoke::ui {

ProfileSwitcher::ProfileSwitcher(ProfileStore *profiles, BackendProvider *provider, QWidget *parent)
    : QWidget(parent), m_profiles(profiles), m_provider(provider), m_combo(new QComboBox(this)),
      m_edit(new QToolButton(this)), m_current(ProfileStore::embeddedName())
{
    setObjectName(u"profileSwitcher"_s);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    auto *label = new QLabel(tr("Profile:"), this);
    label->setBuddy(m_combo);
    m_combo->setObjectName(u"profileCombo"_s);
    m_combo->setToolTip(tr("Where bots run: the embedded engine, or a server"));
    m_combo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_edit->setObjectName(u"editProfilesButton"_s);
    m_edit->setText(tr("Profiles…"));
    m_edit->setToolTip(tr("Add, edit or remove server profiles"));
    layout->addWidget(label);
    layout->addWidget(m_combo);
    layout->addWidget(m_edit);
    reload();
    connect(m_combo, &QComboBox::activated, this, [this](int index) { switchTo(m_combo->itemText(index)); });
    connect(m_edit, &QToolButton::clicked, this, &ProfileSwitcher::editProfiles);
}

void ProfileSwitcher::reload()
{
    const QSignalBlocker block(m_combo);
    m_combo->clear();
    for (const Profile &profile : m_profiles->profiles()) {
        m_combo->addItem(profile.name);
        m_combo->setItemData(m_combo->count() - 1,
                             profile.isEmbedded() ? tr("The engine in this window") : profile.endpoint.toString(),
                             Qt::ToolTipRole);
    }
    // The profile in use may have been renamed or removed in the dialog.
    if (!m_profiles->find(m_current))
        switchTo(m_profiles->current());
    else
        selectInCombo(m_current);
}

void ProfileSwitcher::selectInCombo(const QString &name)
{
    const QSignalBlocker block(m_combo);
    m_combo->setCurrentIndex(qMax(0, m_combo->findText(name, Qt::MatchFixedString)));
}

void ProfileSwitcher::switchTo(const QString &name)
{
    const std::optional<Profile> profile = m_profiles->find(name);
    const quint64 request = ++m_request;
    if (!profile || profile->isEmbedded()) {
        m_current = ProfileStore::embeddedName();
        m_endpoint.clear();
        m_profiles->setCurrent(m_current);
        selectInCombo(m_current);
        m_provider->useEmbedded();
        Q_EMIT switched(m_current);
        return;
    }
    selectInCombo(profile->name);
    m_profiles->readToken(profile->name, this, [this, request, profile = *profile](const SecretResult &token) {
        if (request != m_request)
            return; // another switch came after this one
        if (!token.ok() && token.status != SecretResult::NotFound) {
            selectInCombo(m_current);
            Q_EMIT failed(tr("The profile “%1” cannot be used: its token could not be read. %2")
                              .arg(profile.name, token.error));
            return;
        }
        RemoteBackend::Options options;
        options.endpoint = profile.endpoint;
        options.name = profile.name;
        options.token = token.ok() ? token.value : QString();
        options.tokenHint = tr("set one in the profile (Profiles…)");
        m_current = profile.name;
        m_endpoint = profile.endpoint.toString();
        m_profiles->setCurrent(m_current);
        m_provider->useRemote(std::make_unique<RemoteBackend>(options));
        Q_EMIT switched(m_current);
    });
}

void ProfileSwitcher::editProfiles()
{
    auto *dialog = new ProfilesDialog(m_profiles, window());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->selectProfile(m_current);
    // A saved token or endpoint applies at once to the profile in use.
    connect(dialog, &ProfilesDialog::profilesChanged, this, [this] {
        reload();
        if (m_current != ProfileStore::embeddedName())
            switchTo(m_current);
    });
    dialog->open();
}

} // namespace invoke::ui
