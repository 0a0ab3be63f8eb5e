#!/usr/bin/env bash
# Make sure the Debian packages named as arguments are installed.
#
#   tools/system_deps.sh chromium fonts-noto-cjk
#
# Run as root, it installs the missing ones with apt-get; otherwise it fails,
# naming them, so that nothing runs half-equipped. The Makefile calls it
# before `make html` (the Chinese chart's font) and `make test` (the browser).
set -euo pipefail

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
    echo "Missing Debian packages: ${missing[*]}. Install them as root:" >&2
    echo "    apt-get install -y ${missing[*]}" >&2
    exit 1
fi
