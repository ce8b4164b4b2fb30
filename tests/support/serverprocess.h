#pragma once
// A real invoke-server (build/bin) started on a free loopback port for a test: it reads
// the "listening on http://127.0.0.1:PORT" line the server prints, keeps its log (stderr),
// and stops it with SIGTERM. The event loop keeps running while it waits, so the test may
// serve HTTP (e.g. OpenAiStubServer) from the same thread.
#include <QtCore/QObject>
#include <QtCore/QProcess>
#include <QtCore/QUrl>

#include <functional>
#include <memory>

namespace invoke::test {

class ServerProcess : public QObject
{
    Q_OBJECT
public:
    // `arguments` come after "--listen 127.0.0.1:0"; `environment` is the child's whole
    // environment (see scratchEnvironment()).
    ServerProcess(QStringList arguments, QProcessEnvironment environment, QObject *parent = nullptr);
    ~ServerProcess() override; // kills the server if it still runs

    // Starts and waits for the listening line; false with the reason (and the log).
    bool start(QString *error);
    quint16 port() const { return m_port; }
    QUrl url(const QString &path) const; // http://127.0.0.1:PORT + path

    // What the server logged so far (one line per request).
    QString log();
    // SIGTERM, then waits for the exit; the exit code, or -1 when it crashed or hung.
    int terminate(int timeoutMs = 60000);
    QProcess &process() { return m_process; }

    // The system environment without the LLM settings of this machine, with XDG_* folders
    // under `home` (so the server's cache and user folders are the test's own).
    static QProcessEnvironment scratchEnvironment(const QString &home);
    // The same, with the LLM at `llmUrl` under the stub's model name (none when empty).
    static QProcessEnvironment scratchEnvironment(const QString &home, const QString &llmUrl);
    // A replay cache file under `home` of the running test function's own.
    static QString cacheFileForTest(const QString &home);
    // Makes and starts a server (`prepare` may adjust its process first); nullptr, with the
    // reason and the log as a warning, when it does not start.
    static std::unique_ptr<ServerProcess> launch(const QStringList &arguments, const QProcessEnvironment &environment,
                                                 const std::function<void(ServerProcess &)> &prepare = {});

private:
    QStringList m_arguments;
    QProcess m_process;
    QByteArray m_log;
    quint16 m_port = 0;
};

} // namespace invoke::test
