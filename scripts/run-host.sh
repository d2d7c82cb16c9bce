#!/bin/sh
# Installs what is missing, builds modgate and audits this host: the questions Go
# tooling raises (proxy reachable? cache writable? which domain runs go?) answered
# from the host's installed (or live) SELinux policy. Exit status: 0 when every
# question was answered (allowed or denied), else modgate's error status.
set -eu
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh build/release -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMODGATE_BUILD_TESTS=OFF -DMODGATE_BUILD_BENCH=OFF
modgate=build/release/cli/modgate
go_binary=$(command -v go || echo /usr/bin/go)

status=0
ask() {
  echo "\$ modgate query $*"
  set +e
  "$modgate" query "$@"
  code=$?
  set -e
  echo "(exit $code)"
  echo
  if [ "$code" -gt 1 ]; then status=$code; fi
}

ask --domain init_t --exec "$go_binary"
ask --domain unconfined_t --connect proxy.golang.org:443
ask --domain system_cronjob_t --connect proxy.golang.org:443
ask --domain httpd_t --connect proxy.golang.org:443
ask --domain httpd_sys_script_t --connect goproxy.corp.example:3000
ask --domain system_cronjob_t --write /var/cache/goproxy
ask --domain unconfined_t --write /root/go/pkg/mod
exit "$status"
