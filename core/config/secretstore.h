#pragma once
#include <QtCore/QObject>
#include <QtCore/QString>

#include <functional>

namespace invoke {

// The outcome of one keychain job. `error` is written for a user ("No keychain is
// available: ..."), never empty when status is not Ok or NotFound.
struct SecretResult
{
    enum Status { Ok, NotFound, Unavailable, Failed };
    Status status = Failed;
    QString value; // the secret, for a successful read
    QString error;

    bool ok() const { return status == Ok; }
};

// Reads, writes and deletes secrets in the OS keychain (QtKeychain) under one service
// name. Every call is asynchronous and bounded by a timeout (a keychain that never
// answers, e.g. a locked keyring waiting for a prompt, fails the job instead of
// hanging); `done` runs on this thread, once, and never after `context` is destroyed.
//
// There is no insecure fallback: when no keychain is reachable (no D-Bus session, no
// unlocked keyring) the job fails with status Unavailable, and callers say so.
class SecretStore : public QObject
{
    Q_OBJECT
public:
    using Callback = std::function<void(const SecretResult &)>;

    // `service` groups the secrets (tests pass a unique one so parallel runs don't race).
    explicit SecretStore(const QString &service, QObject *parent = nullptr);

    QString service() const { return m_service; }
    int timeoutMs() const { return m_timeoutMs; }
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }

    void read(const QString &key, QObject *context, Callback done);
    void write(const QString &key, const QString &secret, QObject *context, Callback done);
    void remove(const QString &key, QObject *context, Callback done);

    // The key under which the studio keeps the LLM provider's API key.
    static QString llmApiKeyName() { return QStringLiteral("llm-api-key"); }

private:
    enum class Op { Read, Write, Remove };
    void start(Op op, const QString &key, const QString &secret, QObject *context, Callback done);

    QString m_service;
    int m_timeoutMs = 10000;
};

} // namespace invoke
