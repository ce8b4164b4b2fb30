#include "core/config/sandboxsettings.h"

#include <QtCore/QSettings>

using namespace Qt::StringLiterals;

namespace invoke {

SandboxSettings SandboxSettings::fromSettings(const QSettings &settings)
{
    SandboxSettings s;
    s.allowUnsandboxedCode = settings.value(QLatin1String(AllowUnsandboxedKey), false).toBool();
    QString ignored;
    if (const QString tmp = settings.value(QLatin1String(TmpSizeKey)).toString(); !tmp.isEmpty())
        s.tmpBytes = parseByteSize(tmp, &ignored).value_or(s.tmpBytes);
    if (const QString work = settings.value(QLatin1String(WorkSizeKey)).toString(); !work.isEmpty())
        s.workBytes = parseByteSize(work, &ignored).value_or(s.workBytes);
    return s;
}

void SandboxSettings::saveTo(QSettings &settings) const
{
    settings.setValue(QLatin1String(AllowUnsandboxedKey), allowUnsandboxedCode);
    settings.setValue(QLatin1String(TmpSizeKey), formatByteSize(tmpBytes));
    settings.setValue(QLatin1String(WorkSizeKey), formatByteSize(workBytes));
}

std::optional<qint64> parseByteSize(const QString &text, QString *error)
{
    QString digits = text.trimmed();
    qint64 unit = 1;
    if (!digits.isEmpty()) {
        switch (digits.back().toUpper().unicode()) {
        case 'K': unit = 1024; break;
        case 'M': unit = 1024 * 1024; break;
        case 'G': unit = 1024 * 1024 * 1024; break;
        default: break;
        }
        if (unit != 1)
            digits.chop(1);
    }
    bool ok = false;
    const qint64 number = digits.toLongLong(&ok);
    if (!ok || number <= 0 || number > SandboxSettings::MaxSizeBytes / unit) {
        *error = u"expected a size such as 64M, 512K, 1G or a number of bytes, got \"%1\""_s.arg(text);
        return std::nullopt;
    }
    const qint64 bytes = number * unit;
    if (bytes < SandboxSettings::MinSizeBytes || bytes > SandboxSettings::MaxSizeBytes) {
        *error = u"\"%1\" is outside 1M..64G"_s.arg(text);
        return std::nullopt;
    }
    return bytes;
}

QString formatByteSize(qint64 bytes)
{
    if (bytes % (1024LL * 1024 * 1024) == 0)
        return QString::number(bytes / (1024LL * 1024 * 1024)) + u'G';
    if (bytes % (1024LL * 1024) == 0)
        return QString::number(bytes / (1024LL * 1024)) + u'M';
    if (bytes % 1024 == 0)
        return QString::number(bytes / 1024) + u'K';
    return QString::number(bytes);
}

QString allowUnsandboxedCodeHint()
{
    return u"to run code WITHOUT a sandbox anyway (unsafe: the program can use the network and "
           "read the host's files), pass --allow-unsandboxed-code to invoke-cli invoke or "
           "invoke-server, or check \"Run code steps without a sandbox\" in the studio's Settings "
           "(sandbox/allow_unsandboxed_code)"_s;
}

} // namespace invoke
