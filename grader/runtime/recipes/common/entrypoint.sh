#!/bin/sh
# labgrader device entrypoint: create the SSH login, wait for the data links, apply the
# configuration, then run sshd in the foreground.
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
# a restarted container keeps the password it was given
if [ -n "$pass" ]; then
    printf '%s:%s\n' "$user" "$pass" | chpasswd
fi

# The management interface eth0 only carries SSH: no default route through it.
ip route del default dev eth0 2>/dev/null
ip -6 route del default dev eth0 2>/dev/null

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
exec /usr/sbin/sshd -D -e
