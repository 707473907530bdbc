#!/bin/sh
# Debian packages the build and the tests need. As root they are installed;
# otherwise the missing ones are named and the bootstrap stops.
set -eu
PACKAGES="fonts-noto-core fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 poppler-utils gettext default-jre-headless epubcheck hunspell hunspell-es hunspell-pt-br chromium"
missing=""
for pkg in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $pkg"
    fi
done
# npm installs the accessibility checkers (Node.js may come from elsewhere than Debian).
command -v npm >/dev/null 2>&1 || missing="$missing npm"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
    echo "Installing Debian packages:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
    echo "Missing Debian packages:$missing" >&2
    echo "Install them as root:  sudo apt-get install$missing" >&2
    exit 1
fi
