#!/bin/sh
# modgate query versus sesearch on the same policy and question, same run.
# Prints medians, ratios and peak memory. Usage: sh bench/run.sh [RUNS]
set -eu
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
runs=${1:-15}
policy=/etc/selinux/default/policy/policy.33
sh scripts/build.sh build/release -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
modgate=build/release/cli/modgate


echo "question: may system_cronjob_t connect to a proxy on tcp/443? (policy $policy, $runs runs each)"
m_query="$modgate query --policy $policy --domain system_cronjob_t --connect 10.0.0.1:443"
s_query="sesearch -A -s system_cronjob_t -t http_port_t -c tcp_socket -p name_connect $policy"
# shellcheck disable=SC2086
m_ms=$(median_ms $m_query)
# shellcheck disable=SC2086
s_ms=$(median_ms $s_query)
# shellcheck disable=SC2086
m_mem=$(peak_mib $m_query)
# shellcheck disable=SC2086
s_mem=$(peak_mib $s_query)
echo "  modgate query (whole process): ${m_ms} ms, peak ${m_mem} MiB"
echo "  sesearch (whole process):      ${s_ms} ms, peak ${s_mem} MiB"
awk -v m="$m_ms" -v s="$s_ms" 'BEGIN { printf "  ratio: modgate is %.1fx faster per question\n", s / m }'

echo "question with remedies: may httpd_sys_script_t connect to tcp/3000? (sesearch: the conditional rules)"
m_query="$modgate query --policy $policy --domain httpd_sys_script_t --connect 10.0.0.1:3000"
s_query="sesearch -A -s httpd_sys_script_t -t ntop_port_t -c tcp_socket -p name_connect $policy"
# shellcheck disable=SC2086
m_ms=$(median_ms $m_query)
# shellcheck disable=SC2086
s_ms=$(median_ms $s_query)
echo "  modgate query: ${m_ms} ms; sesearch: ${s_ms} ms"
awk -v m="$m_ms" -v s="$s_ms" 'BEGIN { printf "  ratio: %.1fx\n", s / m }'

echo "whole scan: examples/cron-corporate-proxy (policy load, discovery, evaluation, all five report formats)"
root=$(mktemp -d)
out=$(mktemp -d)
trap 'rm -rf -- "$root" "$out"' EXIT
cp -a -- examples/cron-corporate-proxy/root/. "$root/"
mkdir -p -- "$root/etc/selinux" "$root/usr/share/selinux/devel"
cp -a -- /etc/selinux/config /etc/selinux/default "$root/etc/selinux/"
cp -- /usr/share/selinux/devel/policy.xml "$root/usr/share/selinux/devel/"
m_scan="$modgate scan --rules examples/cron-corporate-proxy/rules.toml --root $root --format text --output $out/r.txt
  --report json=$out/r.json --report junit=$out/r.xml --report sarif=$out/r.sarif --report xccdf=$out/r.xccdf"
s_one="sesearch -A -s system_cronjob_t -t ntop_port_t -c tcp_socket -p name_connect $policy"
# shellcheck disable=SC2086
scan_ms=$(median_ms $m_scan)
# shellcheck disable=SC2086
one_ms=$(median_ms $s_one)
# shellcheck disable=SC2086
scan_mem=$(peak_mib $m_scan)
echo "  modgate scan: ${scan_ms} ms, peak ${scan_mem} MiB; one sesearch query: ${one_ms} ms"
awk -v m="$scan_ms" -v s="$one_ms" 'BEGIN { printf "  ratio: the whole scan is %.1fx faster than one sesearch query\n", s / m }'

echo "in one process (Google Benchmark):"
/usr/bin/time -f "  peak %M KiB for the benchmark process" build/release/bench/query_bench \
  --benchmark_repetitions=5 --benchmark_report_aggregates_only=true 2>&1 | grep -E 'median|peak|ERROR'
