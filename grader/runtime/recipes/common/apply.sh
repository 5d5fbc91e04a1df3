#!/bin/sh
# lg-apply: bring this node to the configuration in /etc/labgrader/config, from a clean slate.
#
# The configuration is /etc/labgrader/config, or $LABGRADER_CONFIG (then saved there).
# Every run gives the same result whatever ran before: routing daemons are stopped, addresses,
# routes and virtual links made by a previous configuration are removed, data links are set up,
# then the configuration is applied (frr: /etc/frr/frr.conf and a fresh FRR start; host: the
# script is run with sh). Exit status: that of the last step; the output says what failed.
set -u
LG=/etc/labgrader
recipe=$(cat "$LG/recipe")
config="$LG/config"
# A new configuration may come in the environment (one docker exec instead of a copy and an exec).
if [ -n "${LABGRADER_CONFIG+set}" ]; then
    (umask 077; printf '%s' "$LABGRADER_CONFIG" > "$config")
    unset LABGRADER_CONFIG
fi

alive() {
    # a process that exists and is not a zombie
    read -r _pid _comm state _rest 2>/dev/null < "/proc/$1/stat" && [ "$state" != Z ]
}

stop_pids() {
    # SIGINT is FRR's orderly shutdown (zebra withdraws its routes); polled every 10 ms, SIGKILL after 5 s
    for pid in "$@"; do kill -INT "$pid" 2>/dev/null; done
    for pid in "$@"; do
        n=0
        while alive "$pid"; do
            n=$((n + 1))
            if [ "$n" -gt 500 ]; then kill -KILL "$pid" 2>/dev/null; break; fi
            sleep 0.01
        done
    done
}

if [ "$recipe" = frr ]; then
    # What `frrinit.sh stop` does, without its 100 ms polls: watchfrr first (it would restart the
    # others), then every daemon at once.
    [ -r /run/frr/watchfrr.pid ] && stop_pids "$(cat /run/frr/watchfrr.pid)"
    stop_pids $(cat /run/frr/*.pid 2>/dev/null)
    rm -f /run/frr/*.pid
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
links=$(ip -o link show type veth | awk -F': ' '{print $2}' | cut -d@ -f1 | grep -vx eth0)
for ifname in $links; do
    # Down first: the kernel then drops every IPv6 address, link-local ones configured by hand included
    # (`ipv6 address fe80::1/64`), and brings back only its own link-local address on the way up.
    ip link set dev "$ifname" down
    ip -4 addr flush dev "$ifname"
    ip -6 addr flush dev "$ifname"
    ip link set dev "$ifname" mtu 1500 up
done
for proto in boot static zebra ospf bgp isis rip ripng eigrp babel nhrp openfabric; do
    ip -4 route flush table main proto "$proto" >/dev/null 2>&1
    ip -6 route flush table main proto "$proto" >/dev/null 2>&1
done
while ip -4 route del default 2>/dev/null; do :; done
while ip -6 route del default 2>/dev/null; do :; done
ip nexthop flush >/dev/null 2>&1
ip neigh flush all >/dev/null 2>&1

if [ "$recipe" = frr ]; then
    # Before FRR starts, wait (about 3 s at most, polled every 20 ms) until each data link has carrier and,
    # IPv6 being on, a usable (not tentative) kernel link-local address: zebra then learns it before the
    # link-local addresses of the configuration, and ospf6d, which speaks from the last one it learnt,
    # uses the configured one.
    n=0
    while [ "$n" -lt 150 ]; do
        waiting=
        for ifname in $links; do
            if [ "$(cat "/sys/class/net/$ifname/carrier" 2>/dev/null)" != 1 ]; then
                waiting=$ifname
            elif [ "$(cat "/proc/sys/net/ipv6/conf/$ifname/disable_ipv6" 2>/dev/null)" = 0 ] &&
                    [ -z "$(ip -6 -o addr show dev "$ifname" scope link -tentative)" ]; then
                waiting=$ifname
            fi
        done
        [ -z "$waiting" ] && break
        n=$((n + 1))
        sleep 0.02
    done
fi

if [ "$recipe" = frr ]; then
    if [ -e "$config" ]; then
        install -o frr -g frr -m 0640 "$config" /etc/frr/frr.conf
    fi
    rc=0
    # FRR applies what it understands and skips the rest; the dry run names the lines it rejects.
    if ! check=$(vtysh -C -f /etc/frr/frr.conf 2>&1); then
        printf '%s\n' "$check" | grep -v '^$'
        rc=3
    fi
    if ! /usr/lib/frr/frrinit.sh start >/dev/null 2>&1; then
        echo "FRR did not start"
        exit 4
    fi
    # frrinit returns once the daemons answer; watchfrr's start command may still be sending them
    # the configuration (vtysh -b): wait for it, polled every 10 ms, at most 60 s.
    n=0
    while pgrep -f /usr/lib/frr/watchfrr.sh >/dev/null; do
        n=$((n + 1))
        if [ "$n" -gt 6000 ]; then echo "FRR did not load its configuration in time"; exit 5; fi
        sleep 0.01
    done
    exit $rc
fi
if [ -e "$config" ]; then
    exec sh -e "$config"
fi
