#pragma once
#include "core/model/json/json.h"

#include <optional>

namespace invoke {

// How the actions that reach outside the engine are answered (README.md, Modes).
struct Mode
{
    enum Kind { Live, Replay, Manual };
    Kind kind = Live;
    bool refresh = false; // only meaningful with Replay

    static Mode live() { return {Live, false}; }
    static Mode replay(bool refresh = false) { return {Replay, refresh}; }
    static Mode manual() { return {Manual, false}; }

    // "live", "replay", "replay (refresh)", "manual"
    QString displayName() const;
    // "live" | "replay" | "manual"
    QString name() const;

    // A string, or {"mode": "replay", "refresh": true} when refreshing.
    Json toJson() const;
    static std::optional<Mode> fromJson(const Json &value, QString *error = nullptr);
    static std::optional<Mode> fromName(const QString &name, QString *error = nullptr);

    bool operator==(const Mode &) const = default;
};

} // namespace invoke
