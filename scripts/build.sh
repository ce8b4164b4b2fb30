#!/bin/sh
# Installs what the build needs, then configures and builds into build/ (preset "release").
set -eu
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release
