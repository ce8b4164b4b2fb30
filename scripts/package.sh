#!/bin/sh
# Builds the Debian package: build/packages/invoke-studio_VERSION_amd64.deb, with the
# debug symbols in invoke-studio-dbgsym_VERSION_amd64.ddeb; then checks it as the
# packaging test does (contents, lintian, desktop-file-validate, appstreamcli).
# Install it with: sudo apt install ./build/packages/invoke-studio_*_amd64.deb
set -eu
cd "$(dirname "$0")/.."
./scripts/build.sh # installs what the build and the packaging need, then builds
cd build
ctest -L packaging --output-on-failure
ls -l packages/*.deb packages/*.ddeb
