#include "ui/common/icons.h"

using namespace Qt::StringLiterals;

namespace invoke::ui {

QIcon icon(const QString &name)
{
    return QIcon(u":/icons/"_s + name + u".svg"_s);
}

} // namespace invoke::ui
