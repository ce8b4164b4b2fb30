#!/bin/sh
# Runs every libFuzzer harness of tests/fuzz for SECONDS each (default 60):
#   scripts/fuzz.sh [SECONDS] [HARNESS...]
# Installs clang-14 and libFuzzer when missing (apt-get; the normal build stays on gcc and
# scripts/install-deps.sh does not carry them), builds the `fuzz` preset into build-fuzz
# (nice -n 19), then for each harness: fuzzes a scratch copy of tests/fuzz/corpus/<harness>
# with its dictionary, merges what it found back into the corpus kept small (-merge=1),
# copies every crash to tests/fuzz/regressions/<harness>/ (the normal test run replays
# them: fix the cause, keep the input), and prints the executions, also appended to
# tests/fuzz/runs.log (committed with the corpus, so the totals add up over sessions).
#   scripts/fuzz.sh totals   prints each harness's executions so far against its target.
# FUZZ_UNTIL_TARGET=1 stops a harness once its total reaches its target (SECONDS stays the
# cap) and skips a harness already there. FUZZ_NICE=N (default 19) is the niceness the
# fuzzer and the merge run at, whatever the caller's own (`nice -n 10 scripts/fuzz.sh`
# used to fuzz at 19 all the same, behind every build of the shared machine).
set -eu
cd "$(dirname "$0")/.."
ledger=tests/fuzz/runs.log

# Issue 20's targets: the fast harnesses 10,000,000 executions each, the others 1,000,000.
target_for() {
  case $1 in
    sse | events | requestbody | httphead) echo 10000000 ;;
    *) echo 1000000 ;;
  esac
}

if [ "${1:-}" = totals ]; then
  printf '%-12s %12s %12s %6s  %s\n' harness executions target done runs
  for h in sse events requestbody httphead mockset botfile templates datasets filter testsfile batchinput; do
    awk -v h="$h" -v target="$(target_for "$h")" '
      $2 == h { total += substr($5, 2); runs++ }
      END { printf "%-12s %12d %12d %5.1f%%  %d\n", h, total, target, 100 * total / target, runs }' "$ledger"
  done
  exit 0
fi

seconds=${1:-60}
[ $# -gt 0 ] && shift
harnesses=${*:-"sse events requestbody httphead mockset botfile templates datasets filter testsfile batchinput"}

if ! command -v clang++-14 >/dev/null || ! ls /usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then
  apt-get install -y clang-14 libfuzzer-14-dev
fi

[ -f build-fuzz/CMakeCache.txt ] || nice -n 19 cmake --preset fuzz >/dev/null
targets=""
for h in $harnesses; do targets="$targets fuzz_$h"; done
nice -n 19 cmake --build build-fuzz --target $targets

dict_for() {
  case $1 in
    sse) echo tests/fuzz/dict/sse.dict ;;
    events) cat tests/fuzz/dict/sse.dict tests/fuzz/dict/json.dict > build-fuzz/events.dict; echo build-fuzz/events.dict ;;
    httphead) echo tests/fuzz/dict/http.dict ;;
    filter) echo tests/fuzz/dict/filter.dict ;;
    *) echo tests/fuzz/dict/json.dict ;;
  esac
}

# The longest input worth trying: past the HTTP head limit (app/server/http/httphead.h
# kMaxHeadBytes, 64 KiB) for the head reader; 16 KiB for the others, whose limits (JSON
# depth, a line, a template) are reached well before and whose speed falls with the length.
max_len_for() {
  case $1 in
    httphead) echo 70000 ;;
    *) echo 16384 ;;
  esac
}

# nice -n adds to the caller's niceness; the fuzzer runs at FUZZ_NICE whatever it is.
fuzz_nice=$(( ${FUZZ_NICE:-19} - $(nice) ))
[ "$fuzz_nice" -ge 0 ] || fuzz_nice=0
summary=build-fuzz/fuzz-summary.txt
: > "$summary"
status=0
for h in $harnesses; do
  runs=""
  if [ "${FUZZ_UNTIL_TARGET:-0}" = 1 ]; then
    left=$(awk -v h="$h" -v target="$(target_for "$h")" '$2 == h { t += substr($5, 2) } END { print target - t }' "$ledger")
    if [ "$left" -le 0 ]; then
      echo "$h: at its target already" | tee -a "$summary"
      continue
    fi
    runs="-runs=$left"
  fi
  corpus=tests/fuzz/corpus/$h
  work=build-fuzz/work/$h
  artifacts=build-fuzz/artifacts/$h/
  rm -rf "$artifacts" # findings of an earlier run were copied then
  mkdir -p "$corpus" "$work" "$artifacts"
  log=build-fuzz/fuzz-$h.log
  # A crash ends this harness's run (its input is in $artifacts); the others still run.
  set +e
  started=$(date +%s)
  nice -n "$fuzz_nice" build-fuzz/bin/fuzz_$h "$work" "$corpus" -dict="$(dict_for $h)" \
    -max_total_time="$seconds" -max_len="$(max_len_for $h)" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$artifacts" -print_final_stats=1 $runs >"$log" 2>&1
  set -e
  took=$(($(date +%s) - started))
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | awk '{s += $2} END {print s + 0}')
  if [ "$execs" = 0 ]; then
    # A crash skips the final stats: the last progress line "#N ..." counts the runs.
    execs=$(grep -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#')
  fi
  # Keep the corpus small: only inputs that add coverage.
  merged=build-fuzz/merged/$h
  rm -rf "$merged"; mkdir -p "$merged"
  nice -n "$fuzz_nice" build-fuzz/bin/fuzz_$h -merge=1 "$merged" "$corpus" "$work" >build-fuzz/merge-$h.log 2>&1 || true
  if [ -n "$(ls -A "$merged")" ]; then
    rm -rf "$corpus" "$work"; mv "$merged" "$corpus"
  fi
  crashes=0
  for f in "$artifacts"crash-* "$artifacts"leak-* "$artifacts"timeout-* "$artifacts"oom-*; do
    [ -e "$f" ] || continue
    mkdir -p tests/fuzz/regressions/$h
    cp "$f" tests/fuzz/regressions/$h/
    crashes=$((crashes + 1))
  done
  [ "$crashes" -gt 0 ] && status=1
  execs=${execs:-0}
  # The ledger kept in the repository: one line per run, with the harness's total so far.
  total=$(awk -v h="$h" -v n="$execs" '$2 == h { t += substr($5, 2) } END { print t + n }' "$ledger")
  files=$(ls "$corpus" | wc -l)
  printf '%s  %-11s %5s s  +%-10s total %-10s corpus %-5s findings %s\n' \
    "$(date -u +%Y-%m-%dT%H:%MZ)" "$h" "$took" "$execs" "$total" "$files" "$crashes" >> "$ledger"
  echo "$h: $execs executions in $took s (total $total), corpus $files files, findings $crashes" | tee -a "$summary"
done
[ "$status" -eq 0 ] || echo "findings copied to tests/fuzz/regressions/: fix each at its cause, then commit the input"
exit $status
