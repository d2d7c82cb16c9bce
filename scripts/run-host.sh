#!/bin/sh
# Installs what is missing, builds modgate and scans this host with the embedded
# default rules. Extra arguments go to `modgate scan` (e.g. --format json).
set -eu
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh build/release -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMODGATE_BUILD_TESTS=OFF -DMODGATE_BUILD_BENCH=OFF
# The main job: discover who runs Go tooling here (systemd units, cron jobs, login
# users, root), and check each against this host's SELinux policy and Go
# environment with the embedded default rules. Exit status as documented in
# docs/modgate.1.md: 0 compliant, 1 a rule failed, 3 incomplete.
exec build/release/cli/modgate scan "$@"
