#pragma once
// Runs a program (usually the built invoke-cli) to its end for an end-to-end test and
// keeps what it printed. The event loop keeps running while it waits, so the test may
// serve HTTP (OpenAiStubServer, PlainInvokeServer) from the same thread.
#include <QtCore/QByteArray>
#include <QtCore/QHash>
#include <QtCore/QProcessEnvironment>
#include <QtCore/QString>
#include <QtCore/QStringList>

namespace invoke::test {

struct CliRun
{
    int exitCode = -1; // -1 when it did not start, crashed or was killed after the timeout
    QString out;
    QString err; // the reason when it did not start
};

QString cliProgram(); // <build>/bin/invoke-cli

// Writes `bytes` to `path` (making its folder) for the program to read; returns `path`.
// Stops the test program when it cannot (the test's own scratch folder is broken).
QString writeFile(const QString &path, const QByteArray &bytes);

// `environment` plus `variables` (which win).
QProcessEnvironment withVariables(QProcessEnvironment environment, const QHash<QString, QString> &variables);

// Runs `program arguments` with exactly `environment`, in `workingDirectory` (when not
// empty); `input` is written to its stdin, then end of file. A run still going after
// `timeoutMs` is killed with a warning (a guard against a hang, not a timing check).
CliRun runProcess(const QString &program, const QStringList &arguments, const QProcessEnvironment &environment,
                  const QString &workingDirectory = QString(), const QByteArray &input = QByteArray(),
                  int timeoutMs = 120000);

} // namespace invoke::test
