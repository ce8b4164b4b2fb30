#include "ui/common/statusstyle.h"

using namespace Qt::StringLiterals;

namespace invoke::ui {

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

StatusStyle statusStyle(std::optional<StepStatus> status, const QPalette &palette)
{
    const bool dark = isDark(palette);
    auto pick = [dark](const char *name, QColor light, QColor onDark) {
        return StatusStyle{u":/icons/status-"_s + QLatin1String(name) + u".svg"_s, dark ? onDark : light};
    };
    if (!status)
        return {QString(), palette.color(QPalette::WindowText)};
    switch (*status) {
    case StepStatus::Running: return pick("running", QColor(0x1d, 0x6f, 0xd1), QColor(0x6a, 0xb0, 0xff));
    case StepStatus::Success: return pick("succeeded", QColor(0x1a, 0x7f, 0x37), QColor(0x4c, 0xc3, 0x8a));
    case StepStatus::Error: return pick("failed", QColor(0xc6, 0x28, 0x28), QColor(0xff, 0x6b, 0x6b));
    case StepStatus::Skipped: return pick("skipped", QColor(0x6b, 0x72, 0x80), QColor(0x9c, 0xa3, 0xaf));
    case StepStatus::Cancelled: return pick("cancelled", QColor(0xb4, 0x53, 0x09), QColor(0xf0, 0xa8, 0x48));
    }
    return {QString(), palette.color(QPalette::WindowText)};
}

QString statusHtml(std::optional<StepStatus> status, const QString &text, const QPalette &palette)
{
    const StatusStyle style = statusStyle(status, palette);
    const QString image = style.iconPath.isEmpty()
                              ? QString()
                              : u"<img src='%1' width='14' height='14' style='vertical-align:middle'/>&nbsp;"_s.arg(style.iconPath);
    return image + u"<span style='color:%1'><b>%2</b></span>"_s.arg(style.color.name(), text.toHtmlEscaped());
}

} // namespace invoke::ui
