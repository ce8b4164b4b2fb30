#pragma once
// The process's open-file limit (RLIMIT_NOFILE): every connection is a descriptor.

#include <QtCore/QtGlobal>

namespace invoke::server {

// Raises the soft limit to the hard one and returns the limit now in force.
qint64 raiseFileLimit();

} // namespace invoke::server
