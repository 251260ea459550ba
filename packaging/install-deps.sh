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
# PCRE2 (with JIT): multiline:V1's start/continue regexes
packages+=(libpcre2-dev)
# etcd discovery (issue 12): its tests start etcd (etcd-server) and drive it with etcdctl
# (etcd-client); the agent itself links Poco NetSSL (in libpoco-dev) for https:// endpoints.
packages+=(etcd-server etcd-client)
# syslog:V1's tests: rsyslogd forwards to mafio (test_syslog_rsyslog.sh); logger (bsdutils)
packages+=(rsyslog bsdutils)
# exec:V1 / command:V1: PCRE2 for command's allow patterns; procps (ps, pgrep) for their tests.
packages+=(libpcre2-dev procps)
# http:V1 output: Poco's NetSSL needs OpenSSL's headers (https URLs); openssl(1) makes the
# self-signed certificate of test_http_output_tls.sh (influxdb, curl, python3: listed above).
packages+=(libssl-dev openssl)
# tcpdump:V1 (issue 14): libpcap-dev to build it; its tests use tcpdump, curl, capsh
# (libcap2-bin: -check without CAP_NET_RAW as root) and bc (figures of the load test).
packages+=(libpcap-dev tcpdump libcap2-bin bc)
# PCRE2 (JIT regular expressions) for parser:V1 and grep:V1 (plugins/common/pcre2_regex.hpp)
packages+=(libpcre2-dev)
# rabbitmq:V1 links librabbitmq (rabbitmq-c); its tests and `make bench` start a private
# rabbitmq-server node
packages+=(librabbitmq-dev rabbitmq-server)
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
