#include "core/config/appidentity.h"

#include <QtCore/QCoreApplication>

using namespace Qt::StringLiterals;

namespace invoke {

void applyAppIdentity()
{
    QCoreApplication::setOrganizationName(u"Invoke Studio"_s);
    QCoreApplication::setOrganizationDomain(u"invokestudio.io"_s);
    QCoreApplication::setApplicationName(u"invoke-studio"_s);
}

QString keychainService()
{
    return u"io.invokestudio.InvokeStudio"_s;
}

} // namespace invoke
