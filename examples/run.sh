#!/bin/sh
# Runs one example by hand: sh examples/run.sh NAME [modgate scan options...]
# Builds a temporary image root from examples/NAME/root plus this machine's
# installed SELinux policy (selinux-policy-default), scans it with the example's
# rules, and removes the root again. The test suite does the same (examples_test).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
name=${1:?usage: sh examples/run.sh NAME [scan options]}
shift
modgate=${MODGATE:-$here/../build/release/cli/modgate}
root=$(mktemp -d)
trap 'rm -rf -- "$root"' EXIT
cp -a -- "$here/$name/root/." "$root/"
mkdir -p -- "$root/etc/selinux" "$root/usr/share/selinux/devel"
cp -a -- /etc/selinux/config /etc/selinux/default "$root/etc/selinux/"
cp -- /usr/share/selinux/devel/policy.xml "$root/usr/share/selinux/devel/"
status=0
"$modgate" scan --rules "$here/$name/rules.toml" --root "$root" "$@" || status=$?
exit "$status"
