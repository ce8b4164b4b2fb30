#pragma once
#include "core/model/json/json.h"

#include <QtCore/QDateTime>
#include <QtCore/QList>

namespace invoke {

// One parameter a bot takes: {key, name, type, required, default, description}.
// type is one of "string", "number", "integer", "boolean", "json" (anything else is text).
struct ParameterDefinition
{
    QString key;
    QString name;
    QString type = QStringLiteral("string");
    bool required = false;
    Json defaultValue; // null when there is none
    QString description;

    Json toJson() const;
    static ParameterDefinition fromJson(const Json &value);
    bool operator==(const ParameterDefinition &) const = default;
};

// What a backend tells about a bot, for pickers and listings.
struct BotInfo
{
    QString id;  // stable identifier; the key for the embedded engine
    QString key;
    QString name;
    QString description;
    QDateTime updatedAt; // UTC
    QList<ParameterDefinition> parameters;
    QString sourceFile; // the bot file, for the embedded engine; empty for remote bots

    QString displayName() const { return name.isEmpty() ? key : name; }
    QString updatedAtText() const; // ISO 8601 with milliseconds, UTC

    Json toJson() const;
    static BotInfo fromJson(const Json &value);
    bool operator==(const BotInfo &) const = default;
};

// A bot file that could not be loaded: the rest still load.
struct LoadProblem
{
    QString file;
    int line = 0; // 1-based, 0 when unknown
    QString reason;

    QString toString() const; // "file:line: reason"
    bool operator==(const LoadProblem &) const = default;
};

struct BotListing
{
    QList<BotInfo> bots;
    QList<LoadProblem> problems;
    QString error; // the listing itself failed (e.g. a remote backend is unreachable)
};

} // namespace invoke
