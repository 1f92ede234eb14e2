#!/usr/bin/env bash
# Makes localhost/debian-base:bookworm, the base of every image: debian:bookworm-slim pulled from
# a registry when SALES_IMAGE_PULL_BASE=1, otherwise the same thing built here with debootstrap
# (minbase, then without documentation, man pages and locales, as the slim image is) from the
# Debian mirror apt already uses. Skipped when the image exists (SALES_IMAGE_REBUILD=1 remakes it).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
export CONTAINERS_CONF="${CONTAINERS_CONF:-$here/containers.conf}"
image=localhost/debian-base:bookworm

if [ "${SALES_IMAGE_REBUILD:-0}" != 1 ] && podman image exists "$image"; then
  echo "base: $image present"
  exit 0
fi
if [ "${SALES_IMAGE_PULL_BASE:-0}" = 1 ]; then
  podman pull docker.io/library/debian:bookworm-slim
  podman tag docker.io/library/debian:bookworm-slim "$image"
  exit 0
fi

mirror="$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)"
mirror="${mirror:-http://deb.debian.org/debian}"
rootfs="$(mktemp -d /var/tmp/sales-rootfs.XXXXXX)"
trap 'rm -rf "$rootfs"' EXIT
started=$(date +%s)
debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$rootfs.log" 2>&1 ||
  { tail -20 "$rootfs.log" >&2; exit 1; }
rm -f "$rootfs.log"
# What bookworm-slim leaves out, now and for every later apt-get in the images.
cat >"$rootfs/etc/dpkg/dpkg.cfg.d/slim" <<'CFG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/lintian/*
CFG
find "$rootfs/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
rm -rf "$rootfs"/usr/share/{man,info,locale,lintian}/* "$rootfs"/var/cache/apt/*.bin \
  "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/log/*.log "$rootfs"/var/cache/debconf/*-old
tar -C "$rootfs" -c . | podman import --change 'CMD ["/bin/bash"]' - "$image" >/dev/null
echo "base: $image made with debootstrap in $(( $(date +%s) - started )) s"
