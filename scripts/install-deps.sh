#!/bin/sh
# Installs the Debian 12 packages modgate builds, tests and runs with (DESIGN.md,
# "Dependencies"). Idempotent: only missing packages are installed. Needs root.
set -eu

packages="
  build-essential cmake pkg-config
  libselinux1-dev libsepol-dev libapparmor-dev libacl1-dev
  libtinyxml2-dev libtomlplusplus-dev libkainjow-mustache-dev nlohmann-json3-dev
  libcli11-dev libexpected-dev libgtest-dev libgmock-dev libbenchmark-dev
  checkpolicy semodule-utils policycoreutils selinux-policy-dev selinux-policy-default
  setools acl apparmor golang-go time
  openscap-scanner libxml2-utils shellcheck zip passwd util-linux
"

missing=""
for package in $packages; do
  if ! dpkg-query -W -f='${Status}\n' "$package" 2>/dev/null | grep -q '^install ok installed$'; then
    missing="$missing $package"
  fi
done

if [ -z "$missing" ]; then
  echo "install-deps: every package is installed"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: run as root to install:$missing" >&2
  exit 1
fi
echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086 # the list is word-split on purpose
apt-get install -y -qq --no-install-recommends $missing
