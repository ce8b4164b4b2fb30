#pragma once
#include <QtCore/QString>

namespace invoke {

// The identity every program of ours shares, so invoke-cli and invoke-studio read the
// same settings, bots folder, replay cache and keychain entries.
void applyAppIdentity(); // organisation, domain and application names
QString keychainService(); // the service name of our keychain entries

} // namespace invoke
