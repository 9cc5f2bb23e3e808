#!/usr/bin/env bash
# `make bench-ack ACK_CPU_LIMIT=100m`: ACK's controller run under a CPU limit, as its chart's resources.limits.cpu
# (100m in ecr-controller v1.8.1's and ecs-controller v1.2.1's values.yaml) makes the kubelet run it. Prints the path
# of a wrapper (in OUT) that puts itself into a cgroup with that CPU quota (the kernel's CFS bandwidth control, what
# the kubelet sets for a limit: LIMIT's millicores of each 100 ms period) and then execs BINARY with its arguments, so
# the controller keeps the wrapper's process id (the bench reads its CPU from /proc/PID). Needs a writable cgroup cpu
# controller: cgroup v2 (cpu.max) or v1 (cpu.cfs_quota_us), i.e. root, as on this machine; says so and fails
# otherwise. The cgroup (ecs-bridge-ack-bench) stays for the next run; rmdir it when done.
#   hack/ack/cpu-limit.sh 100m ~/.cache/ecs-bridge/ack/ecs-controller/controller operator/target/bench
set -euo pipefail
limit=$1 binary=$2 out=$3
case "$limit" in
  *m) millis=${limit%m} ;;
  *) millis=$(awk -v c="$limit" 'BEGIN { printf "%d", c * 1000 }') ;;
esac
[[ "$millis" =~ ^[0-9]+$ && "$millis" -gt 0 ]] || { echo "$0: ACK_CPU_LIMIT is millicores (100m) or cores (0.1), not $limit" >&2; exit 2; }
period=100000 quota=$((millis * 100))
name=ecs-bridge-ack-bench
if grep -qw cpu /sys/fs/cgroup/cgroup.controllers 2>/dev/null; then
  group=/sys/fs/cgroup/$name
  mkdir -p "$group" && echo "$quota $period" > "$group/cpu.max"
elif [[ -d /sys/fs/cgroup/cpu ]]; then
  group=/sys/fs/cgroup/cpu/$name
  mkdir -p "$group" && echo "$period" > "$group/cpu.cfs_period_us" && echo "$quota" > "$group/cpu.cfs_quota_us"
else
  echo "$0: no cgroup cpu controller here (neither /sys/fs/cgroup/cgroup.controllers with cpu nor /sys/fs/cgroup/cpu)" >&2
  exit 1
fi || { echo "$0: cannot make the cgroup $group with a CPU quota (not root? a read-only cgroup file system?)" >&2; exit 1; }
mkdir -p "$out"
wrapper=$out/ack-cpu-$millis"m".sh
cat > "$wrapper" <<EOF
#!/bin/sh
# ACK's controller limited to ${millis}m of CPU (hack/ack/cpu-limit.sh): this process joins $group, then becomes it
echo \$\$ > "$group/cgroup.procs" || exit 1
exec "$binary" "\$@"
EOF
chmod +x "$wrapper"
echo "$wrapper"
