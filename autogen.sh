#!/bin/sh
# Generates configure and the Makefile templates from a git checkout.
# automake does not install its TAP driver by itself: copy it next to the
# other build-aux helpers.
set -e
cd "$(dirname "$0")"
mkdir -p build-aux m4
autoreconf -fi
am_dir=$(automake --print-libdir)
cp -f "$am_dir/tap-driver.sh" build-aux/tap-driver.sh
chmod +x build-aux/tap-driver.sh
