#!/bin/sh
# Installs the Debian 12 packages the build, the studio and the tests need.
# Safe to run again: apt skips what is already there. Runs as root or through sudo.
set -eu

# help2man makes the manual pages at build time; lintian, desktop-file-utils, appstream
# and file check the Debian package (ctest -L packaging, scripts/package.sh).
packages="
  build-essential cmake ninja-build ccache pkg-config
  qt6-base-dev qt6-base-dev-tools libqt6sql6-sqlite libsqlite3-dev zlib1g-dev
  libqt6sql6-psql postgresql-15
  qt6-svg-dev libqt6svg6
  qtkeychain-qt6-dev libsecret-1-0 gnome-keyring dbus dbus-x11
  nlohmann-json3-dev libbenchmark-dev
  python3 bubblewrap curl
  fonts-dejavu-core
  help2man lintian desktop-file-utils appstream file
"

missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
