#!/usr/bin/env bash
# bootstrap.sh - install what is missing (Debian 12, as root), configure and build logad in build/.
# Used by both README commands; safe to run again (it only installs missing packages and rebuilds
# what changed). Environment: BUILD_DIR (default build), BUILD_TYPE (default RelWithDebInfo).
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(build-essential cmake pkg-config openmpi-bin libopenmpi-dev libscalapack-openmpi-dev
          libopenblas-dev liblapack-dev libhdf5-openmpi-dev hdf5-tools libcunit1-dev libpcre2-dev)
missing=()
for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "bootstrap: installing ${missing[*]}"
    if [ "$(id -u)" -ne 0 ]; then
        echo "bootstrap: run as root (or install these packages first): ${missing[*]}" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

BUILD_DIR=${BUILD_DIR:-build}
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" >/dev/null
cmake --build "$BUILD_DIR" -j "$(nproc)" >/dev/null
echo "bootstrap: built $BUILD_DIR/logad"
