#!/bin/sh
# Builds, then opens the studio on the embedded engine with the example bots.
set -eu
cd "$(dirname "$0")/.."
./scripts/build.sh
exec ./build/bin/invoke-studio "$@"
