#!/usr/bin/env bash
# Install the Debian packages named as arguments, where this machine can.
#
#   tools/system_deps.sh chromium fonts-noto-cjk
#
# make test calls it for what the tests use beyond Python (a browser, Java,
# debootstrap). Building the site needs none of them. Run as root on Debian
# or Ubuntu, it installs the missing ones with apt-get, as on this project's
# CI; anywhere else (no root, macOS, another distribution) it only says what
# is missing and exits 0: the tests that need a missing tool fail, naming
# what to install on that platform, and every other test runs.
set -euo pipefail

if ! command -v dpkg-query >/dev/null; then
    echo "system_deps: not a Debian system; the tests find a browser and Java on their own and name what is missing." >&2
    exit 0
fi
missing=()
for package in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Debian packages: ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/dev/null
else
    echo "system_deps: not installed: ${missing[*]} (as root: apt-get install -y ${missing[*]})." >&2
    echo "system_deps: the tests that need them will fail, saying so; the others run." >&2
fi
