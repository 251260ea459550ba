#!/usr/bin/env bash
# Installs the Debian packages mafio needs to build and test, and nothing when all are present
# (idempotent: a second run only checks). Run as root, or as a user with sudo.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  libboost-dev libboost-program-options-dev libboost-filesystem-dev
  rapidjson-dev libpoco-dev libfmt-dev catch2
  # zlib: logr:V1's `compress` writes gzip files
  zlib1g-dev
  # toml++: the original agent's TOML config (-config agent.conf, host/src/config)
  libtomlplusplus-dev
  time python3 procps
  # dpkg-shlibdeps computes the .deb's Depends (packaging/cpack.cmake)
  dpkg-dev
  # clang-format: the tree is kept formatted, and a test checks it
  clang-format
  # Google Benchmark for `make bench`'s microbenchmarks (test/bench/micro)
  libbenchmark-dev
)
# Services the end-to-end tests start on loopback ports (later issues add to this list).
# influxd for test_influxdb.sh; curl for the HTTP API and InfluxDB tests.
packages+=(influxdb curl)
# ip(8): test_http_admin.sh makes a network namespace with a veth pair, a real non-loopback client
packages+=(iproute2)
# Scheduling (issue 11): the IANA zones schedules and their tests read (Europe/Berlin, ...).
packages+=(tzdata)
packages+=(${MAFIO_EXTRA_PACKAGES:-})

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then sudo="sudo"; else
    echo "install-deps: missing packages (${missing[*]}) and not root; run as root" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
