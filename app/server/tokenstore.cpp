#include "app/server/tokenstore.h"

#include <QtCore/QCryptographicHash>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QFileSystemWatcher>

using namespace Qt::StringLiterals;

namespace invoke::server {

namespace {
QByteArray digest(QByteArrayView token)
{
    return QCryptographicHash::hash(token, QCryptographicHash::Sha256);
}
} // namespace

TokenStore::TokenStore(QString filePath, QObject *parent)
    : QObject(parent), m_filePath(std::move(filePath))
{
}

bool TokenStore::load(QString *error)
{
    QFile file(m_filePath);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = u"cannot read the tokens file %1: %2"_s.arg(m_filePath, file.errorString());
        return false;
    }
    QHash<QByteArray, QString> organisations;
    QStringList problems;
    int number = 0;
    while (!file.atEnd()) {
        ++number;
        QByteArray line = file.readLine();
        // A comment starts the line or follows a space (a token holds no spaces).
        for (qsizetype i = 0; i < line.size(); ++i) {
            if (line[i] == '#' && (i == 0 || QChar::isSpace(uchar(line[i - 1])))) {
                line.truncate(i);
                break;
            }
        }
        line = line.trimmed();
        if (line.isEmpty())
            continue;
        const auto where = u"%1:%2: "_s.arg(m_filePath).arg(number);
        const qsizetype space = line.indexOf(' ') >= 0 ? line.indexOf(' ') : line.indexOf('\t');
        if (space < 0) {
            problems.append(where + u"a token needs an organisation after it (TOKEN ORGANISATION)"_s);
            continue;
        }
        const QByteArray token = line.left(space);
        const QString organisation = QString::fromUtf8(line.mid(space + 1).trimmed()).simplified();
        if (token.size() < kMinTokenLength) {
            problems.append(where + u"the token is too short (%1 characters; at least %2)"_s
                                        .arg(token.size()).arg(kMinTokenLength));
            continue;
        }
        const QByteArray key = digest(token);
        if (const auto it = organisations.constFind(key); it != organisations.cend()) {
            if (*it != organisation)
                problems.append(where + u"the token is already given to organisation \"%1\"; the first line counts"_s.arg(*it));
            continue;
        }
        organisations.insert(key, organisation);
    }
    m_organisations = std::move(organisations);
    m_problems = std::move(problems);
    return true;
}

void TokenStore::watch()
{
    if (m_watcher)
        return;
    m_watcher = new QFileSystemWatcher(this);
    m_watcher->addPath(m_filePath);
    // An editor that saves atomically replaces the file: the watch on the old one ends,
    // and the folder tells when the new one is there.
    m_watcher->addPath(QFileInfo(m_filePath).absolutePath());
    connect(m_watcher, &QFileSystemWatcher::fileChanged, this, &TokenStore::onChanged);
    connect(m_watcher, &QFileSystemWatcher::directoryChanged, this, &TokenStore::onChanged);
}

void TokenStore::onChanged()
{
    if (!QFileInfo::exists(m_filePath))
        return; // mid-replace, or removed: keep the tokens read last
    if (!m_watcher->files().contains(m_filePath))
        m_watcher->addPath(m_filePath);
    const auto before = m_organisations;
    const QStringList problemsBefore = m_problems;
    QString error;
    if (!load(&error)) {
        Q_EMIT reloadFailed(error);
        return;
    }
    // The folder changes for other files too: say something only when the tokens did.
    if (m_organisations != before || m_problems != problemsBefore)
        Q_EMIT reloaded(m_organisations.size(), m_problems);
}

QString TokenStore::organisationOf(QByteArrayView token) const
{
    if (token.isEmpty())
        return {};
    return m_organisations.value(digest(token));
}

} // namespace invoke::server
