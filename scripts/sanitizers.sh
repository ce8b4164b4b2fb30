#!/bin/sh
# The sanitizer runs (issue 20), apart from the normal gcc build and its test run:
#   scripts/sanitizers.sh [asan|tsan]...   (default: both)
# asan: the whole test suite built with AddressSanitizer and UndefinedBehaviorSanitizer
#   (preset asan, build-asan); tsan: the tests of the worker threads (backend, server,
#   batcher, runner) with ThreadSanitizer (preset tsan, build-tsan: only those tests,
#   invoke-cli, invoke-server and tests/tsan's calibration are built). Qt's orderings
#   between threads are told to TSan by tests/tsan/qtsyncmodel.cpp, Qt's own memory calls
#   are left out by tests/tsan.supp (each entry says why it is not ours), and the
#   calibration's tsan_race_* tests fail unless a race in our code is still reported.
# Heavy on a 2-core machine: everything runs under nice -n 19, the builds with 2 jobs
# unless CMAKE_BUILD_PARALLEL_LEVEL says otherwise (ninja's default of cores + 2 links up
# to four ASan executables of 150-400 MB at once), and each preset has its own build
# folder. Each part prints how long its build and its tests took.
set -eu
cd "$(dirname "$0")/.."
parts=${*:-"asan tsan"}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export XDG_DATA_HOME="$scratch/data" XDG_CACHE_HOME="$scratch/cache" XDG_CONFIG_HOME="$scratch/config"
mkdir -p "$XDG_DATA_HOME" "$XDG_CACHE_HOME" "$XDG_CONFIG_HOME"
# Qt's own allocations that live until exit are not leaks of ours.
export ASAN_OPTIONS="detect_leaks=0:abort_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-2}"
for part in $parts; do
  start=$(date +%s)
  nice -n 19 cmake --preset "$part" >/dev/null
  nice -n 19 cmake --build --preset "$part"
  built=$(date +%s)
  status=0
  dbus-run-session -- sh -c '
    printf %s "invoke-tests" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
    nice -n 19 ctest --preset "$1" --parallel 2' sh "$part" || status=$?
  done_at=$(date +%s)
  # The times also when a test failed; the failure still stops the script.
  echo "$part: build $((built - start)) s, tests $((done_at - built)) s$([ "$status" = 0 ] || echo ', tests FAILED')"
  [ "$status" = 0 ] || exit "$status"
done
