#!/usr/bin/env bash
# Installs what Berth needs and is missing, idempotently: npm packages, the project build, and
# (on Debian/Ubuntu as root) Docker Engine from the distribution's docker.io package, started when
# not running. With --test it also makes sure the aws CLI is there (Debian's awscli package).
set -euo pipefail
cd "$(dirname "$0")/.."
want_test=0
[ "${1:-}" = "--test" ] && want_test=1

log() { printf 'setup: %s\n' "$*" >&2; }
apt_updated=0
apt_install() {
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    log "cannot install $* here (needs root on Debian/Ubuntu); install it by hand"; return 1
  fi
  if [ "$apt_updated" = 0 ]; then DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2
}

# npm packages: install when missing or when the lock file changed since the last install.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "installing npm packages"
  npm ci --no-fund --no-audit >&2
fi
log "building"
npx tsc -p tsconfig.json >&2
touch dist/.build-stamp

# Docker Engine: later capabilities run real containers through it.
if ! command -v dockerd >/dev/null; then
  log "installing Docker Engine (docker.io)"
  apt_install docker.io || true
fi
if command -v dockerd >/dev/null && ! docker info >/dev/null 2>&1; then
  log "starting dockerd"
  mkdir -p /var/log
  nohup dockerd >/var/log/berth-dockerd.log 2>&1 &
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    sleep 0.5
  done
  docker info >/dev/null 2>&1 || log "dockerd did not come up; see /var/log/berth-dockerd.log"
fi

# A static busybox: Berth builds its awsvpc pause image (and the tests their image) from it.
if [ ! -x /bin/busybox ]; then
  log "installing busybox-static"
  apt_install busybox-static || true
fi

if [ "$want_test" = 1 ] && ! command -v aws >/dev/null; then
  log "installing the aws CLI (awscli)"
  apt_install awscli
fi
exit 0
