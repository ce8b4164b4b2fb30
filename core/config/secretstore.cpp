#include "core/config/secretstore.h"

#include <QtCore/QPointer>
#include <QtCore/QTimer>

#include <qt6keychain/keychain.h>

#include <memory>

using namespace Qt::StringLiterals;

namespace invoke {

namespace {

// The messages QtKeychain's libsecret backend gives when there is no session bus or no
// unlocked keyring (scripts/test.sh provides both): these mean "no keychain", not "this job failed".
bool looksUnavailable(QKeychain::Error error, const QString &detail)
{
    if (error == QKeychain::NoBackendAvailable || error == QKeychain::NotImplemented)
        return true;
    static const char *const hints[] = {"D-Bus", "DBus", "dbus", "Object does not exist",
                                        "collection", "locked", "No such secret"};
    for (const char *hint : hints) {
        if (detail.contains(QLatin1StringView(hint)))
            return true;
    }
    return false;
}

SecretResult resultOf(QKeychain::Job *job, const QString &key)
{
    SecretResult r;
    const QString detail = job->errorString();
    switch (job->error()) {
    case QKeychain::NoError:
        r.status = SecretResult::Ok;
        if (auto *read = qobject_cast<QKeychain::ReadPasswordJob *>(job))
            r.value = read->textData();
        return r;
    case QKeychain::EntryNotFound:
        r.status = SecretResult::NotFound;
        r.error = u"The keychain has no secret named \"%1\"."_s.arg(key);
        return r;
    case QKeychain::AccessDeniedByUser:
    case QKeychain::AccessDenied:
        r.status = SecretResult::Failed;
        r.error = u"The keychain refused access (%1)."_s.arg(detail);
        return r;
    default:
        break;
    }
    if (looksUnavailable(job->error(), detail)) {
        r.status = SecretResult::Unavailable;
        r.error = u"No keychain is available (%1). Start a desktop session with an unlocked "
                  "keyring such as GNOME Keyring or KWallet."_s.arg(detail);
    } else {
        r.status = SecretResult::Failed;
        r.error = u"The keychain failed: %1"_s.arg(detail);
    }
    return r;
}

} // namespace

SecretStore::SecretStore(const QString &service, QObject *parent)
    : QObject(parent), m_service(service)
{
}

void SecretStore::read(const QString &key, QObject *context, Callback done)
{
    start(Op::Read, key, {}, context, std::move(done));
}

void SecretStore::write(const QString &key, const QString &secret, QObject *context, Callback done)
{
    start(Op::Write, key, secret, context, std::move(done));
}

void SecretStore::remove(const QString &key, QObject *context, Callback done)
{
    start(Op::Remove, key, {}, context, std::move(done));
}

void SecretStore::start(Op op, const QString &key, const QString &secret, QObject *context,
                        Callback done)
{
    if (!context)
        context = this;

    QKeychain::Job *job = nullptr;
    switch (op) {
    case Op::Read:
        job = new QKeychain::ReadPasswordJob(m_service);
        break;
    case Op::Write: {
        auto *write = new QKeychain::WritePasswordJob(m_service);
        write->setTextData(secret);
        job = write;
        break;
    }
    case Op::Remove:
        job = new QKeychain::DeletePasswordJob(m_service);
        break;
    }
    // The job deletes itself when it finishes; it is not parented, because deleting a
    // job while the backend still holds it (e.g. on a timeout) is not safe.
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);

    // Whichever comes first, the answer or the timeout, reports; the other is ignored.
    struct Pending
    {
        Callback done;
        bool reported = false;
    };
    auto pending = std::make_shared<Pending>(Pending{std::move(done)});

    connect(job, &QKeychain::Job::finished, context, [pending, key](QKeychain::Job *finished) {
        if (std::exchange(pending->reported, true))
            return;
        pending->done(resultOf(finished, key));
    });
    const int seconds = (m_timeoutMs + 999) / 1000;
    QTimer::singleShot(m_timeoutMs, context, [pending, seconds] {
        if (std::exchange(pending->reported, true))
            return;
        SecretResult r;
        r.status = SecretResult::Unavailable;
        r.error = u"The keychain did not answer within %1 s (is the keyring locked?)."_s.arg(seconds);
        pending->done(r);
    });
    job->start();
}

} // namespace invoke
