#!/bin/sh
# Installs what is missing, then builds and runs the whole test suite twice:
# a release build, and an ASan+UBSan build. Any failure stops with non-zero.
set -eu
cd "$(dirname "$0")/.."
scripts/install-deps.sh

scripts/build.sh build/release -DCMAKE_BUILD_TYPE=RelWithDebInfo
ctest --test-dir build/release -j2 --output-on-failure

scripts/build.sh build/asan -DCMAKE_BUILD_TYPE=Debug -DMODGATE_SANITIZE=ON -DMODGATE_BUILD_BENCH=OFF
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build/asan -j2 --output-on-failure
