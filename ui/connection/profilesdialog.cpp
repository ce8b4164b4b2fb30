#include "ui/connection/profilesdialog.h"

#include "core/backend/remotebackend.h"
#include "core/config/profiles.h"

#include <QtWidgets/QDialogButtonBox>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QListWidget>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QVBoxLayout>

using namespace Qt::StringLiterals;

namespace invoke::ui {

namespace {
QString colored(bool ok, const QString &text)
{
    return u"<span style='color:%1'>%2</span>"_s.arg(ok ? u"#2e9d57"_s : u"#d0463b"_s, text.toHtmlEscaped());
}
} // namespace

ProfilesDialog::ProfilesDialog(ProfileStore *profiles, QWidget *parent)
    : QDialog(parent), m_profiles(profiles), m_list(new QListWidget(this)), m_name(new QLineEdit(this)),
      m_endpoint(new QLineEdit(this)), m_token(new QLineEdit(this)), m_add(new QPushButton(tr("New"), this)),
      m_remove(new QPushButton(tr("Remove"), this)), m_save(new QPushButton(tr("Save profile"), this)),
      m_test(new QPushButton(tr("Test connection"), this)), m_status(new QLabel(this)), m_testResult(new QLabel(this))
{
    setWindowTitle(tr("Profiles")); // Qt adds " — Invoke Studio", the display name
    setMinimumWidth(620);
    m_list->setObjectName(u"profileList"_s);
    m_name->setObjectName(u"profileName"_s);
    m_name->setPlaceholderText(tr("e.g. staging"));
    m_endpoint->setObjectName(u"profileEndpoint"_s);
    m_endpoint->setPlaceholderText(u"http://127.0.0.1:8642"_s);
    m_token->setObjectName(u"profileToken"_s);
    m_token->setEchoMode(QLineEdit::Password);
    m_token->setPlaceholderText(tr("not set (kept in the keychain)"));
    m_add->setObjectName(u"newProfile"_s);
    m_remove->setObjectName(u"removeProfile"_s);
    m_save->setObjectName(u"saveProfile"_s);
    m_test->setObjectName(u"testProfile"_s);
    m_status->setObjectName(u"profileStatus"_s);
    m_status->setWordWrap(true);
    m_testResult->setObjectName(u"profileTestResult"_s);
    m_testResult->setWordWrap(true);

    auto *listButtons = new QHBoxLayout;
    listButtons->addWidget(m_add);
    listButtons->addWidget(m_remove);
    auto *left = new QVBoxLayout;
    left->addWidget(new QLabel(tr("Server profiles (“Embedded” is always there):"), this));
    left->addWidget(m_list, 1);
    left->addLayout(listButtons);

    auto *form = new QFormLayout;
    form->addRow(tr("Name:"), m_name);
    form->addRow(tr("Endpoint:"), m_endpoint);
    form->addRow(tr("Token:"), m_token);
    auto *formButtons = new QHBoxLayout;
    formButtons->addWidget(m_test);
    formButtons->addStretch(1);
    formButtons->addWidget(m_save);
    auto *right = new QVBoxLayout;
    right->addLayout(form);
    right->addLayout(formButtons);
    right->addWidget(m_testResult);
    right->addWidget(m_status);
    right->addStretch(1);

    auto *columns = new QHBoxLayout;
    columns->addLayout(left, 2);
    columns->addLayout(right, 3);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(columns, 1);
    layout->addWidget(buttons);

    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_add, &QPushButton::clicked, this, &ProfilesDialog::newProfile);
    connect(m_remove, &QPushButton::clicked, this, &ProfilesDialog::removeSelected);
    connect(m_save, &QPushButton::clicked, this, &ProfilesDialog::save);
    connect(m_test, &QPushButton::clicked, this, &ProfilesDialog::testConnection);
    connect(m_list, &QListWidget::currentTextChanged, this, [this](const QString &name) {
        if (!name.isEmpty() && name != m_editing)
            load(name);
    });
    fillList({});
    if (m_list->count() > 0)
        m_list->setCurrentRow(0);
    else
        newProfile();
}

ProfilesDialog::~ProfilesDialog() = default;

QString ProfilesDialog::statusText() const
{
    return m_status->text();
}

QString ProfilesDialog::testResultText() const
{
    return m_testResult->text();
}

void ProfilesDialog::fillList(const QString &select)
{
    const QSignalBlocker block(m_list);
    m_list->clear();
    for (const Profile &profile : m_profiles->profiles())
        if (!profile.isEmbedded())
            m_list->addItem(profile.name);
    const auto found = m_list->findItems(select, Qt::MatchFixedString);
    if (!found.isEmpty())
        m_list->setCurrentItem(found.first());
    m_remove->setEnabled(m_list->count() > 0);
}

void ProfilesDialog::selectProfile(const QString &name)
{
    const auto found = m_list->findItems(name, Qt::MatchFixedString);
    if (found.isEmpty())
        return;
    m_list->setCurrentItem(found.first());
}

void ProfilesDialog::newProfile()
{
    m_editing.clear();
    m_list->clearSelection();
    m_name->clear();
    m_endpoint->clear();
    m_token->clear();
    m_token->setEnabled(true);
    m_testResult->clear();
    m_status->setText(tr("A new profile: give it a name and the server's endpoint."));
    m_name->setFocus();
}

void ProfilesDialog::load(const QString &name)
{
    const std::optional<Profile> profile = m_profiles->find(name);
    if (!profile || profile->isEmbedded())
        return;
    m_editing = profile->name;
    m_name->setText(profile->name);
    m_endpoint->setText(profile->endpoint.toString());
    m_token->clear();
    m_token->setEnabled(false); // until the keychain has answered: nothing typed is overwritten
    m_testResult->clear();
    m_status->setText(tr("Reading the token from the keychain…"));
    const QString editing = m_editing;
    m_profiles->readToken(editing, this, [this, editing](const SecretResult &result) {
        if (editing != m_editing)
            return;
        m_token->setEnabled(true);
        if (result.ok()) {
            m_token->setText(result.value);
            showStatus(true, tr("The token is kept in the keychain."));
        } else if (result.status == SecretResult::NotFound) {
            m_status->setText(tr("No token is set for this profile."));
        } else {
            showStatus(false, tr("The token could not be read: %1").arg(result.error));
        }
    });
}

void ProfilesDialog::save()
{
    Profile profile;
    profile.name = m_name->text().trimmed();
    profile.endpoint = QUrl(m_endpoint->text().trimmed());
    QString error;
    const QString previous = m_editing;
    if (!m_profiles->save(profile, previous, &error)) {
        showStatus(false, tr("Not saved: %1.").arg(error));
        return;
    }
    m_editing = profile.name;
    fillList(profile.name);
    const QString token = m_token->text();
    m_profiles->writeToken(profile.name, token, this, [this, profile, previous, token](const SecretResult &result) {
        if (!result.ok()) {
            showStatus(false, tr("The profile was saved, but its token could not be stored in the keychain: %1")
                                  .arg(result.error));
        } else {
            showStatus(true, token.isEmpty() ? tr("Saved “%1” (no token).").arg(profile.name)
                                             : tr("Saved “%1”; its token is in the keychain.").arg(profile.name));
        }
        // A renamed profile leaves no token behind under its old name.
        if (!previous.isEmpty() && previous.compare(profile.name, Qt::CaseInsensitive) != 0)
            m_profiles->removeToken(previous, this, [](const SecretResult &) {});
        Q_EMIT profilesChanged();
        Q_EMIT saved(profile.name);
    });
}

void ProfilesDialog::removeSelected()
{
    QListWidgetItem *item = m_list->currentItem();
    if (!item)
        return;
    const QString name = item->text();
    m_profiles->remove(name);
    m_profiles->removeToken(name, this, [this, name](const SecretResult &result) {
        if (!result.ok())
            showStatus(false, tr("Removed “%1”, but its token could not be removed from the keychain: %2")
                                  .arg(name, result.error));
        else
            showStatus(true, tr("Removed “%1”.").arg(name));
        Q_EMIT profilesChanged();
    });
    fillList({});
    if (m_list->count() > 0)
        m_list->setCurrentRow(0);
    else
        newProfile();
}

void ProfilesDialog::testConnection()
{
    RemoteBackend::Options options;
    options.endpoint = QUrl(m_endpoint->text().trimmed());
    options.token = m_token->text();
    options.tokenHint = tr("check the token");
    delete m_tester; // a test still running is superseded, and its answer dropped with it
    m_tester = new RemoteBackend(options, this);
    m_testResult->setText(tr("Testing…"));
    m_test->setEnabled(false);
    const QString endpoint = options.endpoint.toString();
    m_tester->listBots(m_tester, [this, endpoint](const BotListing &listing) {
        m_test->setEnabled(true);
        if (!listing.error.isEmpty())
            m_testResult->setText(colored(false, listing.error));
        else
            m_testResult->setText(colored(true, tr("Connected to %1: %n bot(s) offered.", nullptr,
                                                   int(listing.bots.size())).arg(endpoint)));
    });
}

void ProfilesDialog::showStatus(bool ok, const QString &text)
{
    m_status->setText(colored(ok, text));
}

} // namespace invoke::ui
