#!/bin/sh
# labgrader device entrypoint: create the SSH login, hide the management interface from the lab, wait
# for the data links, apply the configuration, then run sshd in the foreground.
#
# Credentials come from /etc/labgrader/credentials (two lines: user, password; copied in
# before start and deleted here), else from LABGRADER_SSH_USER / LABGRADER_SSH_PASSWORD,
# else student / labgrader. LABGRADER_INTERFACES lists the data interfaces to wait for.
set -u
LG=/etc/labgrader
RUN=/run/labgrader
rm -rf "$RUN"
mkdir -p "$RUN" /run/sshd

user=${LABGRADER_SSH_USER:-student}
pass=${LABGRADER_SSH_PASSWORD-}
if [ -r "$LG/credentials" ]; then
    { IFS= read -r user; IFS= read -r pass; } < "$LG/credentials"
    rm -f "$LG/credentials"
fi
unset LABGRADER_SSH_PASSWORD
if ! id "$user" >/dev/null 2>&1; then
    groups=$(cat "$LG/login-groups" 2>/dev/null || true)
    useradd -m -s "$(cat "$LG/login-shell")" ${groups:+-G "$groups"} "$user"
    pass=${pass:-labgrader}
fi
# a restarted container keeps the password it was given. SHA512-crypt rather than Debian's default yescrypt:
# checking a yescrypt hash costs each login ~25 ms of CPU, a third of a grading session on a router, and a
# class of labs is graded with hundreds of logins at once (these are per-class throw-away passwords).
if [ -n "$pass" ]; then
    printf '%s:%s\n' "$user" "$pass" | chpasswd -c SHA512
fi

# The management interface eth0 only carries SSH. It goes into a network namespace of its own, held open
# by a sleeping process, so that the routing daemons never see it (no connected route to redistribute, no
# interface in `show interface`). A relay listening there (socat) runs `sshd -i` back in this namespace for
# each connection, so logins and everything they start (vtysh, its ping) live beside the lab's interfaces.
# Where that cannot be done (no socat, unshare or nsenter refused), eth0 stays and only loses its default route.
isolate_eth0() {
    command -v socat >/dev/null || return 1
    addr=$(ip -o -4 addr show dev eth0 2>/dev/null | awk '{print $4; exit}')
    gw=$(ip -4 route show default dev eth0 2>/dev/null | awk '{print $3; exit}')
    [ -n "$addr" ] || return 1
    unshare --net sleep infinity </dev/null >/dev/null 2>&1 &
    holder=$!
    own=$(readlink /proc/$$/ns/net)
    n=0
    while [ "$(readlink "/proc/$holder/ns/net" 2>/dev/null)" = "$own" ]; do
        n=$((n + 1))
        if [ "$n" -gt 200 ]; then kill "$holder" 2>/dev/null; return 1; fi
        sleep 0.01
    done
    kill -0 "$holder" 2>/dev/null || return 1
    if ! ip link set dev eth0 netns "$holder"; then kill "$holder"; return 1; fi
    if ! nsenter --net="/proc/$holder/ns/net" sh -c \
            "ip link set lo up && ip link set eth0 up && ip addr add $addr dev eth0${gw:+ && ip route add default via $gw}"; then
        nsenter --net="/proc/$holder/ns/net" ip link set dev eth0 netns $$
        ip link set eth0 up; ip addr add "$addr" dev eth0
        kill "$holder"
        return 1
    fi
    echo "$holder" > "$RUN/mgmt.pid"
}
if ! isolate_eth0; then
    echo "labgrader: eth0 stays in the routing namespace" >&2
    ip route del default dev eth0 2>/dev/null
    ip -6 route del default dev eth0 2>/dev/null
fi

deadline=$(( $(date +%s) + ${LABGRADER_WAIT_SECONDS:-60} ))
for ifname in ${LABGRADER_INTERFACES:-}; do
    while [ ! -e "/sys/class/net/$ifname" ]; do
        if [ "$(date +%s)" -ge "$deadline" ]; then
            echo "interface $ifname did not appear" > "$RUN/apply.log"
            echo 1 > "$RUN/apply.rc"
            break 2
        fi
        sleep 0.02
    done
done

if [ ! -e "$RUN/apply.rc" ]; then
    /usr/local/sbin/lg-apply > "$RUN/apply.log" 2>&1
    echo $? > "$RUN/apply.rc"
fi
if [ -r "$RUN/mgmt.pid" ]; then
    nsenter --net="/proc/$(cat "$RUN/mgmt.pid")/ns/net" socat TCP-LISTEN:22,fork,reuseaddr \
        "EXEC:nsenter --net=/proc/1/ns/net /usr/sbin/sshd -i -e,nofork" </dev/null &
fi
exec /usr/sbin/sshd -D -e
