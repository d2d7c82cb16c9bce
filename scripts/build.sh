#!/bin/sh
# Configures and builds one build tree: scripts/build.sh DIR [CMAKE_ARGS...]
set -eu
cd "$(dirname "$0")/.."
dir=$1
shift
cmake -S . -B "$dir" -DMODGATE_WERROR=ON "$@" >/dev/null
cmake --build "$dir" -j2
