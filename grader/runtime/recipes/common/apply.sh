#!/bin/sh
# lg-apply: bring this node to the configuration in /etc/labgrader/config, from a clean slate.
#
# Every run gives the same result whatever ran before: routing daemons are stopped, addresses,
# routes and virtual links made by a previous configuration are removed, data links are set up,
# then the configuration is applied (frr: /etc/frr/frr.conf and a fresh FRR start; host: the
# script is run with sh). Exit status: that of the last step; the output says what failed.
set -u
LG=/etc/labgrader
recipe=$(cat "$LG/recipe")
config="$LG/config"

if [ "$recipe" = frr ]; then
    /usr/lib/frr/frrinit.sh stop >/dev/null 2>&1
fi

# virtual links made by a configuration (VLAN sub-interfaces, bridges, dummies, ...)
for kind in vlan macvlan dummy bridge bond vrf vxlan gre gretap ipip sit; do
    for ifname in $(ip -o link show type "$kind" 2>/dev/null | awk -F': ' '{print $2}' | cut -d@ -f1); do
        case "$ifname" in gre0|gretap0|erspan0|tunl0|sit0|ip6tnl0|ip6gre0) continue ;; esac
        ip link del "$ifname" 2>/dev/null
    done
done
ip -4 addr flush dev lo scope global
ip -6 addr flush dev lo scope global
for ifname in $(ip -o link show type veth | awk -F': ' '{print $2}' | cut -d@ -f1); do
    [ "$ifname" = eth0 ] && continue
    ip -4 addr flush dev "$ifname"
    ip -6 addr flush dev "$ifname" scope global
    ip link set dev "$ifname" mtu 1500 up
done
for proto in boot static zebra ospf bgp isis rip ripng eigrp babel nhrp openfabric; do
    ip -4 route flush table main proto "$proto" 2>/dev/null
    ip -6 route flush table main proto "$proto" 2>/dev/null
done
ip route del default 2>/dev/null
ip neigh flush all 2>/dev/null

if [ "$recipe" = frr ]; then
    if [ -e "$config" ]; then
        install -o frr -g frr -m 0640 "$config" /etc/frr/frr.conf
    fi
    out=$(/usr/lib/frr/frrinit.sh start 2>&1)
    rc=$?
    printf '%s\n' "$out" | grep -Ei 'error|fail|unknown' || true
    exit $rc
fi
if [ -e "$config" ]; then
    exec sh -e "$config"
fi
