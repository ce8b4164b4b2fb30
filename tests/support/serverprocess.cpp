#include "tests/support/serverprocess.h"

#include "tests/support/testpaths.h"

#include <QtCore/QElapsedTimer>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <csignal>

using namespace Qt::StringLiterals;

namespace invoke::test {

ServerProcess::ServerProcess(QStringList arguments, QProcessEnvironment environment, QObject *parent)
    : QObject(parent), m_arguments(std::move(arguments))
{
    m_process.setProcessEnvironment(environment);
    m_process.setWorkingDirectory(sourceDir());
    connect(&m_process, &QProcess::readyReadStandardError, this,
            [this] { m_log += m_process.readAllStandardError(); });
}

ServerProcess::~ServerProcess()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(10000);
    }
}

QProcessEnvironment ServerProcess::scratchEnvironment(const QString &home)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    // A developer's own team cache (INVOKE_CACHE_URL) must never receive a test's entries.
    for (const char *name : {"INVOKE_LLM_BASE_URL", "INVOKE_LLM_MODEL", "INVOKE_LLM_API_KEY", "INVOKE_CACHE_URL",
                             "INVOKE_CACHE_SCOPE"})
        environment.remove(QString::fromLatin1(name));
    environment.insert(u"XDG_DATA_HOME"_s, home + u"/data"_s);
    environment.insert(u"XDG_CACHE_HOME"_s, home + u"/cache"_s);
    environment.insert(u"XDG_CONFIG_HOME"_s, home + u"/config"_s);
    return environment;
}

QProcessEnvironment ServerProcess::scratchEnvironment(const QString &home, const QString &llmUrl)
{
    QProcessEnvironment environment = scratchEnvironment(home);
    if (!llmUrl.isEmpty()) {
        environment.insert(u"INVOKE_LLM_BASE_URL"_s, llmUrl);
        environment.insert(u"INVOKE_LLM_MODEL"_s, u"stub-model"_s);
    }
    return environment;
}

QString ServerProcess::cacheFileForTest(const QString &home)
{
    return home + u"/cache-%1.sqlite"_s.arg(QString::fromLatin1(QTest::currentTestFunction()));
}

std::unique_ptr<ServerProcess> ServerProcess::launch(const QStringList &arguments,
                                                     const QProcessEnvironment &environment,
                                                     const std::function<void(ServerProcess &)> &prepare)
{
    auto server = std::make_unique<ServerProcess>(arguments, environment);
    if (prepare)
        prepare(*server);
    QString error;
    if (!server->start(&error)) {
        qWarning("%s", qPrintable(error));
        return nullptr;
    }
    return server;
}

bool ServerProcess::start(QString *error)
{
    QSignalSpy output(&m_process, &QProcess::readyReadStandardOutput);
    m_process.start(binDir() + u"/invoke-server"_s,
                    QStringList{u"--listen"_s, u"127.0.0.1:0"_s} + m_arguments);
    QByteArray out;
    QElapsedTimer waited;
    waited.start();
    // A guard against a hung start, not a timing expectation.
    while (waited.elapsed() < 60000) {
        out += m_process.readAllStandardOutput();
        static const QByteArray prefix = "listening on http://127.0.0.1:";
        const qsizetype at = out.indexOf(prefix);
        const qsizetype end = at >= 0 ? out.indexOf('\n', at) : -1;
        if (end > at) {
            const qsizetype from = at + prefix.size();
            m_port = quint16(out.mid(from, end - from).toUInt());
            return m_port != 0;
        }
        if (m_process.state() == QProcess::NotRunning)
            break;
        output.wait(1000);
    }
    *error = u"invoke-server did not start (exit %1): %2"_s.arg(m_process.exitCode()).arg(log());
    return false;
}

QUrl ServerProcess::url(const QString &path) const
{
    return QUrl(u"http://127.0.0.1:%1%2"_s.arg(m_port).arg(path));
}

QString ServerProcess::log()
{
    m_log += m_process.readAllStandardError();
    return QString::fromUtf8(m_log);
}

int ServerProcess::terminate(int timeoutMs)
{
    if (m_process.state() == QProcess::NotRunning)
        return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
    QSignalSpy finished(&m_process, &QProcess::finished);
    ::kill(pid_t(m_process.processId()), SIGTERM);
    if (!finished.wait(timeoutMs)) {
        m_process.kill();
        m_process.waitForFinished(10000);
        return -1;
    }
    log();
    return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
}

} // namespace invoke::test
