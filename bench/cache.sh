#!/bin/sh
# Auditing a 1,000,000-entry cache tree: modgate scan (cache-permissions and
# cache-writable for two subjects) against getfacl -R -p dumping the same tree and
# du -s walking it (stat only: the floor), in the same run. Prints medians, ratios
# and modgate's peak memory. Usage: sh bench/cache.sh [DIRS FILES_PER_DIR RUNS]
set -eu
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
dirs=${1:-1000}
files=${2:-999}
runs=${3:-3}
sh scripts/build.sh build/release -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
modgate=build/release/cli/modgate
work=$(mktemp -d /var/tmp/modgate-bench.XXXXXX)
trap 'rm -rf -- "$work"' EXIT
tree="$work/gocache"
echo "building $tree ..."
build/release/bench/make_tree "$tree" "$dirs" "$files"
cat > "$work/rules.toml" <<RULES
schema = 1
[[subject]]
id = "builder"
user = "root"
selinux_domain = "unconfined_t"
[[subject]]
id = "nobody"
user = "nobody"
selinux_domain = "unconfined_t"
[[cache]]
id = "big"
path = "$tree"
kind = "generic"
mode = "2775"
default_acl = ["group::rwx", "other::r-x"]
recursive = true
writers = ["builder", "nobody"]
[[rule]]
id = "BIG-PERM"
title = "permissions"
severity = "medium"
check = "cache-permissions"
[[rule]]
id = "BIG-WRITE"
title = "writable"
severity = "high"
check = "cache-writable"
RULES


"$modgate" scan --rules "$work/rules.toml" --format json --output "$work/report.json" || true
grep -o '"actual": "[0-9]* entries checked"' "$work/report.json" | head -n 1
m=$(median_ms "$modgate" scan --rules "$work/rules.toml" --format json --output "$work/report.json")
g=$(median_ms getfacl -R -p "$tree")
d=$(median_ms du -s "$tree")
mem=$(/usr/bin/time -f %M "$modgate" scan --rules "$work/rules.toml" --format json --output "$work/report.json" 2>&1 >/dev/null | tail -n 1)
echo "modgate scan: ${m} ms, peak $((mem / 1024)) MiB; getfacl -R -p: ${g} ms; du -s: ${d} ms (median of $runs)"
awk -v m="$m" -v g="$g" -v d="$d" 'BEGIN { printf "ratios: %.1fx faster than getfacl -R; %.2fx the time of du -s\n", g / m, m / d }'
