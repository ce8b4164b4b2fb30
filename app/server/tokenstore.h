#pragma once
// The bearer tokens invoke-server accepts, from a tokens file: one `TOKEN ORGANISATION`
// pair per line, `#` starts a comment, blank lines are fine. The file is read again when
// it changes, also when an editor replaces it (a new file under the same name). A bad
// line is reported with file:line and skipped; a token never reaches a message.
// Tokens are kept only as SHA-256 digests.
#include <QtCore/QHash>
#include <QtCore/QObject>
#include <QtCore/QStringList>

class QFileSystemWatcher;

namespace invoke::server {

class TokenStore : public QObject
{
    Q_OBJECT
public:
    static constexpr int kMinTokenLength = 16;

    explicit TokenStore(QString filePath, QObject *parent = nullptr);

    // Reads the file; false with `error` when it cannot be read. Problems with single
    // lines are in problems(), and the other lines still count.
    bool load(QString *error = nullptr);
    // Starts watching the file for changes.
    void watch();

    // The organisation of `token`, or empty when the token is unknown.
    QString organisationOf(QByteArrayView token) const;
    qsizetype size() const { return m_organisations.size(); }
    const QStringList &problems() const { return m_problems; }
    QString filePath() const { return m_filePath; }

Q_SIGNALS:
    // After each reload caused by a change: how many tokens, and what was wrong.
    void reloaded(qsizetype tokens, const QStringList &problems);
    void reloadFailed(const QString &error);

private:
    void onChanged();

    QString m_filePath;
    QHash<QByteArray, QString> m_organisations; // SHA-256 of the token -> organisation
    QStringList m_problems;
    QFileSystemWatcher *m_watcher = nullptr;
};

} // namespace invoke::server
