#!/usr/bin/env bash
# Installs the Debian packages CacheLens's tests and demo need, when missing.
# As root it uses apt-get; otherwise it says exactly what to install and fails.
set -euo pipefail

need=()
have() { command -v "$1" >/dev/null 2>&1; }
pkg_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

have redis-server || need+=(redis-server)
have memcached || need+=(memcached)
have saslpasswd2 || need+=(sasl2-bin)
have memcdump || need+=(libmemcached-tools)
have openssl || need+=(openssl)
have chromium || need+=(chromium)
have rg || need+=(ripgrep)
have go || need+=(golang-go)
[ -d /usr/share/gocode/src/github.com/bradfitz/gomemcache ] || need+=(golang-github-bradfitz-gomemcache-dev)
[ -d /usr/share/gocode/src/github.com/mattn/go-sqlite3 ] || need+=(golang-github-mattn-go-sqlite3-dev)
pkg_installed libkrb5-dev || need+=(libkrb5-dev)
/usr/bin/python3 -c 'import redis' >/dev/null 2>&1 || need+=(python3-redis)
/usr/bin/python3 -c 'import pymemcache' >/dev/null 2>&1 || need+=(python3-pymemcache)
have setsid || need+=(util-linux)
have mcs || need+=(mono-mcs)
have javac || need+=(default-jdk-headless)

if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && have apt-get; then
  echo "installing Debian packages: ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
else
  echo "CacheLens needs these Debian packages: ${need[*]}" >&2
  echo "install them with: sudo apt-get install ${need[*]}" >&2
  exit 1
fi
