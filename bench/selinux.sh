#!/bin/sh
# The cron scenario's SELinux repair: modgate generate (scan, plan, artefacts,
# compiled .pp, in-memory proof) against audit2allow -M on the equivalent denials
# and against semodule -p installing the same module into a store copy, same run.
# Usage: sh bench/selinux.sh [RUNS]
set -eu
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
runs=${1:-5}
sh scripts/build.sh build/release -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
modgate=$(pwd)/build/release/cli/modgate
work=$(mktemp -d)
trap 'rm -rf -- "$work"' EXIT
root="$work/root"
mkdir -p "$root/etc/selinux" "$root/var/lib/selinux" "$root/var/cache/goproxy" "$root/usr/share/selinux/devel"
cp -a examples/cron-corporate-proxy/root/. "$root/"
cp -a /etc/selinux/config /etc/selinux/default "$root/etc/selinux/"
cp -a /var/lib/selinux/default "$root/var/lib/selinux/"
cp /usr/share/selinux/devel/policy.xml "$root/usr/share/selinux/devel/"
chown 1001 "$root/var/cache/goproxy"
cat > "$work/rules.toml" <<'RULES'
schema = 1
[[subject]]
id = "cron"
discover = "cron"
[[proxy]]
id = "corp"
url = "https://goproxy.corp.example:3000"
[[cache]]
id = "goproxy"
path = "/var/cache/goproxy"
kind = "proxy-storage"
writers = ["cron"]
[[rule]]
id = "CRON-PROXY"
title = "proxy"
severity = "high"
check = "proxy-reachable"
proxies = ["corp"]
[[rule]]
id = "CRON-CACHE"
title = "cache"
severity = "high"
check = "cache-writable"
RULES
# The same denials as the kernel would log them.
avc() {
  printf 'type=AVC msg=audit(1700000000.%03d:%d): avc:  denied  { %s } for  pid=4242 comm="go" scontext=system_u:system_r:system_cronjob_t:s0 tcontext=system_u:object_r:%s:s0 tclass=%s permissive=0\n' "$1" "$1" "$2" "$3" "$4"
}
{
  avc 1 name_connect ntop_port_t tcp_socket
  avc 2 "write add_name remove_name create setattr rmdir" var_t dir
  avc 3 "create write setattr unlink rename" var_t file
} > "$work/avc.log"

generate() {
  rm -rf "$work/out"
  "$modgate" generate --rules "$work/rules.toml" --root "$root" --out "$work/out" --targets selinux
}
audit2allow_m() {
  (cd "$work" && audit2allow -M cronfix -i "$work/avc.log")
}
store_install() {
  rm -rf "$work/alt"
  mkdir -p "$work/alt/var/lib/selinux" "$work/alt/etc"
  cp -a "$root/var/lib/selinux/default" "$work/alt/var/lib/selinux/"
  cp -a "$root/etc/selinux" "$work/alt/etc/"
  semodule -p "$work/alt" -n -X 400 -i "$work/out/selinux/modgate_go.pp"
}
generate >/dev/null
g=$(median_ms generate)
a=$(median_ms audit2allow_m)
s=$(median_ms store_install)
echo "modgate generate (scan + plan + .te/.cil/.pp + in-memory proof): ${g} ms"
echo "audit2allow -M on the same three denials:                        ${a} ms"
echo "semodule -p installing the module into a store copy:             ${s} ms"
awk -v g="$g" -v a="$a" -v s="$s" 'BEGIN { printf "ratios: %.1fx faster than audit2allow -M; %.0fx faster than the store round trip\n", a / g, s / g }'
