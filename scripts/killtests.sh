#!/bin/sh
# The long kill -9 run (tests/hardening/tst_killnine.cpp): ROUNDS SIGKILLs per kind
# (default 50) at random points while invoke-cli writes the replay cache, a mock set, a
# JUnit file and a batch output. The normal test run does 5 per kind. Builds first.
#   scripts/killtests.sh [ROUNDS]
set -eu
cd "$(dirname "$0")/.."
flock /tmp/invoke-build.lock cmake --build build --target tst_killnine
INVOKE_KILL_ROUNDS=${1:-50} QT_QPA_PLATFORM=offscreen exec build/bin/tst_killnine
