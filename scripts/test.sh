#!/bin/sh
# Builds, then runs every test (ctest) inside a private D-Bus session with an unlocked
# gnome-keyring, so the keychain tests use a real keychain even without a desktop.
set -eu
cd "$(dirname "$0")/.."
./scripts/build.sh
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
# The keyring file lives under XDG_DATA_HOME: a scratch folder keeps the user's own apart.
export XDG_DATA_HOME="$scratch/data" XDG_CACHE_HOME="$scratch/cache" XDG_CONFIG_HOME="$scratch/config"
mkdir -p "$XDG_DATA_HOME" "$XDG_CACHE_HOME" "$XDG_CONFIG_HOME"
exec dbus-run-session -- sh -c '
  printf %s "invoke-tests" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  ctest --preset release --parallel 2 "$@"' sh "$@"
