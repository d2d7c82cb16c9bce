# shellcheck shell=sh
# Shared by the bench scripts (sourced, not run). They set runs= before calling.

# median_ms CMD...: median wall time in milliseconds of $runs runs (errors ignored).
median_ms() {
  i=0
  while [ "$i" -lt "${runs:?runs must be set}" ]; do
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    end=$(date +%s%N)
    echo $(( (end - start) / 1000 ))
    i=$((i + 1))
  done | sort -n | awk '{ v[NR] = $1 } END { printf "%.1f", v[int((NR + 1) / 2)] / 1000 }'
}

# peak_mib CMD...: peak resident memory of one run, in MiB.
peak_mib() {
  /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -n 1 | awk '{ printf "%.1f", $1 / 1024 }'
}
