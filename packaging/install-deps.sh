#!/bin/sh
# Installs what Quantscope needs to build, test and run, from Debian bookworm's own packages.
# Run as root (CI and a fresh machine); a no-op when everything is already there.
set -eu
PACKAGES="cmake ninja-build g++ pkg-config
  qt6-base-dev libqcustomplot-dev
  libtorch-dev libopenblas0-pthread
  libsentencepiece-dev nlohmann-json3-dev libpcre2-dev libicu-dev
  poppler-utils xvfb xauth desktop-file-utils appstream dpkg-dev file
  clang-14 libclang-rt-14-dev"
missing=""
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing
fi
