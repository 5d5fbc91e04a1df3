#!/bin/sh
# Runs inside the new root file system (chroot) after the packages are installed.
# $1: the recipe name; the recipe files are in /tmp/labgrader-recipe.
set -eu
src=/tmp/labgrader-recipe
mkdir -p /etc/labgrader
echo "$1" > /etc/labgrader/recipe
install -m 0755 "$src/entrypoint.sh" /usr/local/sbin/lg-entrypoint
install -m 0755 "$src/apply.sh" /usr/local/sbin/lg-apply
install -m 0644 "$src/sshd_config" /etc/ssh/sshd_config.d/labgrader.conf
rm -f /etc/motd /etc/update-motd.d/*
rm -rf /var/lib/apt/lists/* /var/cache/apt/* /var/log/*.log /var/cache/debconf/*-old
