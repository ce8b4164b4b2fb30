#pragma once
// The options `invoke-cli test` and `invoke-cli batch` share: -j, --timeout and the
// folders of --bots-dir / --datasets-dir, each read one way with one message.
#include <QtCore/QStringList>

#include <optional>

class QCommandLineParser;

namespace invoke::cli {

// -j N (1 to 1024; default the core count); `unit` names what runs at once ("cases").
std::optional<int> readJobs(const QCommandLineParser &parser, const QString &unit, QString *error);
// --timeout SECONDS (at least 1), or `fallback` when not given.
std::optional<int> readTimeout(const QCommandLineParser &parser, int fallback, QString *error);
// The values of a folder option, each checked to be a folder, made absolute.
std::optional<QStringList> readFolders(const QCommandLineParser &parser, const QString &option, QString *error);

} // namespace invoke::cli
