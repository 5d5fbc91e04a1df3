#!/bin/sh
# FRR router: the daemons a lab may use, vtysh as the login shell, frr.conf writeable by vtysh.
set -eu
for daemon in ospfd ospf6d bgpd isisd; do
    sed -i "s/^${daemon}=no/${daemon}=yes/" /etc/frr/daemons
done
grep -q '^/usr/bin/vtysh$' /etc/shells || echo /usr/bin/vtysh >> /etc/shells
echo /usr/bin/vtysh > /etc/labgrader/login-shell
echo frr,frrvty > /etc/labgrader/login-groups
# watchfrr polls every second (default 5): a start whose configuration has an error returns sooner.
echo 'watchfrr_options="-i 1"' >> /etc/frr/daemons
printf 'frr defaults traditional\nservice integrated-vtysh-config\n!\n' > /etc/frr/frr.conf
chown -R frr:frr /etc/frr
chmod 0775 /etc/frr
chmod 0640 /etc/frr/*
chmod 0644 /etc/frr/vtysh.conf
