#pragma once
// How codeexec.execute may run code (core/engine/sandbox/sandbox.h): the size caps of
// the bubblewrap sandbox's /tmp and work folder, and whether code may run WITHOUT a
// sandbox when bubblewrap is missing or cannot create namespaces (unsafe: off unless the
// user turns it on).
#include <QtCore/QString>

#include <optional>

class QSettings;

namespace invoke {

struct SandboxSettings
{
    static constexpr qint64 DefaultTmpBytes = 64LL * 1024 * 1024;
    static constexpr qint64 DefaultWorkBytes = 64LL * 1024 * 1024;
    static constexpr qint64 MinSizeBytes = 1024LL * 1024;
    static constexpr qint64 MaxSizeBytes = 64LL * 1024 * 1024 * 1024;

    // The settings keys (group "sandbox").
    static constexpr char AllowUnsandboxedKey[] = "sandbox/allow_unsandboxed_code";
    static constexpr char TmpSizeKey[] = "sandbox/tmp_size";
    static constexpr char WorkSizeKey[] = "sandbox/work_size";

    bool allowUnsandboxedCode = false;  // UNSAFE: no network isolation, the host's files readable
    qint64 tmpBytes = DefaultTmpBytes;  // the tmpfs at /tmp inside the sandbox
    qint64 workBytes = DefaultWorkBytes; // the tmpfs at /workspace (inputs and outputs)

    // Group "sandbox": allow_unsandboxed_code, tmp_size, work_size (sizes as
    // parseByteSize() reads them); a bad size keeps the default.
    static SandboxSettings fromSettings(const QSettings &settings);
    void saveTo(QSettings &settings) const;

    bool operator==(const SandboxSettings &) const = default;
};

// "64M", "512K", "2G" (powers of 1024) or plain bytes, between MinSizeBytes and
// MaxSizeBytes; std::nullopt with the reason in `error`.
std::optional<qint64> parseByteSize(const QString &text, QString *error);
// "64M" for 64 MiB; bytes when not a whole number of KiB.
QString formatByteSize(qint64 bytes);

// How to allow code without a sandbox, for the message that refuses it.
QString allowUnsandboxedCodeHint();

} // namespace invoke
