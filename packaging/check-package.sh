#!/bin/sh
# The packaging test (ctest -L packaging): builds the Debian package from BUILD_DIR with
# cpack, checks what it holds with dpkg-deb, then runs lintian, desktop-file-validate and
# appstreamcli validate --no-net on it. Usage: check-package.sh BUILD_DIR VERSION
set -u
build=$(cd "$1" && pwd)
version=$2
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
# The package is built into the scratch folder, not BUILD_DIR/packages: two runs at once
# (a developer's scripts/package.sh beside the test) would otherwise remove each other's
# _CPack_Packages staging tree.
deb="$scratch/packages/invoke-studio_${version}_amd64.deb"
ddeb="$scratch/packages/invoke-studio-dbgsym_${version}_amd64.ddeb"
passed=0
failed=0
check() { # check "what" command...
  what=$1; shift
  if "$@" >"$scratch/out" 2>&1; then
    passed=$((passed + 1)); echo "PASS: $what"
  else
    failed=$((failed + 1)); echo "FAIL: $what"; sed 's/^/    /' "$scratch/out"
  fi
}
has() { grep -qx -- "$1" "$scratch/contents"; }

check "cpack -G DEB builds the package" sh -c "cd '$build' && cpack -G DEB -B '$scratch/packages'"
check "named invoke-studio_${version}_amd64.deb" test -f "$deb"
check "debug symbols apart in invoke-studio-dbgsym_${version}_amd64.ddeb" test -f "$ddeb"
if [ ! -f "$deb" ]; then echo "$passed passed, $((failed + 1)) failed"; exit 1; fi

dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|' >"$scratch/contents"
for path in /usr/bin/invoke-studio /usr/bin/invoke-cli /usr/bin/invoke-server \
            /usr/share/applications/invoke-studio.desktop \
            /usr/share/metainfo/io.invokestudio.InvokeStudio.metainfo.xml \
            /usr/share/icons/hicolor/scalable/apps/invoke-studio.svg \
            /usr/share/icons/hicolor/48x48/apps/invoke-studio.png \
            /usr/share/icons/hicolor/256x256/apps/invoke-studio.png \
            /usr/share/man/man1/invoke-studio.1.gz /usr/share/man/man1/invoke-cli.1.gz \
            /usr/share/man/man1/invoke-server.1.gz \
            /usr/lib/systemd/system/invoke-server.service \
            /usr/share/doc/invoke-studio/copyright /usr/share/doc/invoke-studio/changelog.gz \
            /usr/share/doc/invoke-studio/docs/server.md; do
  check "holds $path" has "$path"
done

dpkg-deb -x "$deb" "$scratch/root"
for app in invoke-studio invoke-cli invoke-server; do
  check "$app is stripped" sh -c "file '$scratch/root/usr/bin/$app' | grep -q ', stripped'"
  id=$(readelf -n "$scratch/root/usr/bin/$app" | sed -n 's/.*Build ID: *//p')
  check "$app's debug symbols are in the dbgsym package" \
    sh -c "dpkg-deb -c '$ddeb' | grep -q 'usr/lib/debug/.build-id/$(echo "$id" | cut -c1-2)/$(echo "$id" | cut -c3-).debug'"
done
check "the man pages say what each program is" \
  sh -c "zcat '$scratch/root/usr/share/man/man1/invoke-cli.1.gz' | grep -qF 'run Invoke bots from the command line'"
check "Recommends bubblewrap, python3 and a secret service" \
  sh -c "dpkg-deb -f '$deb' Recommends | grep -q 'bubblewrap, python3, gnome-keyring'"
check "Recommends Qt's PostgreSQL driver (a team replay cache)" \
  sh -c "dpkg-deb -f '$deb' Recommends | grep -q 'libqt6sql6-psql'"
check "an extended description" sh -c "[ \$(dpkg-deb -f '$deb' Description | wc -l) -ge 5 ]"
check "the unit is hardened and reads /etc/invoke-server/tokens" sh -c "
  u='$scratch/root/usr/lib/systemd/system/invoke-server.service'
  for line in DynamicUser=yes ProtectSystem=strict NoNewPrivileges=yes StateDirectory=invoke-server \
              LoadCredential=tokens:/etc/invoke-server/tokens; do grep -qx \"\$line\" \"\$u\" || exit 1; done"

check "lintian: no errors, no warnings" lintian --fail-on error,warning --allow-root "$deb"
check "desktop-file-validate" desktop-file-validate "$scratch/root/usr/share/applications/invoke-studio.desktop"
check "appstreamcli validate --no-net" \
  appstreamcli validate --no-net "$scratch/root/usr/share/metainfo/io.invokestudio.InvokeStudio.metainfo.xml"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
