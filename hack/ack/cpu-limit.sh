#!/usr/bin/env bash
# `make bench-ack ACK_CPU_LIMIT=100m`: ACK's controller run under a CPU limit, as its chart's resources.limits.cpu
# (100m in ecr-controller v1.8.1's and ecs-controller v1.2.1's values.yaml) makes the kubelet run it. Prints the path
# of a wrapper (in OUT) that puts itself into a cgroup with that CPU quota (the kernel's CFS bandwidth control, what
# the kubelet sets for a limit: LIMIT's millicores of each 100 ms period) and then execs BINARY with its arguments, so
# the controller keeps the wrapper's process id (the bench reads its CPU, and its cgroup's quota, from /proc/PID).
# Needs a writable cgroup cpu controller: cgroup v2 (cpu.max) or v1 (cpu.cfs_quota_us), i.e. root, as on this machine;
# says so and fails otherwise. On cgroup v2 it enables the cpu controller for the root's children if it is not (a
# lasting change, as systemd makes on most machines). Each run gets a cgroup of its own, ecs-bridge-ack-bench-<LIMIT>-
# <this script's process id> (ACK_CGROUP_NAME overrides: letters, digits, '.', '_', '-'), so that nothing else shares
# its quota; the next run removes the empty ones left. Only the CPU limit: the chart's memory limit is not applied.
#   hack/ack/cpu-limit.sh 100m ~/.cache/ecs-bridge/ack/ecs-controller/controller operator/target/bench
#   hack/ack/cpu-limit.sh --millicores 0.1     # prints 100m: LIMIT as the bench reports it
set -euo pipefail
usage="usage: $0 LIMIT BINARY OUT | --millicores LIMIT (LIMIT: millicores such as 100m, or cores such as 0.1)"
millicores() {
  local m
  if [[ "$1" =~ ^[0-9]+m$ ]]; then
    m=$((10#${1%m}))
  elif [[ "$1" =~ ^[0-9]+(\.[0-9]+)?$ ]]; then
    m=$(awk -v c="$1" 'BEGIN { printf "%d", c * 1000 + 0.5 }')
  else
    echo "$0: ACK_CPU_LIMIT is millicores (100m) or cores (0.1), not $1" >&2
    return 2
  fi
  # the kernel's smallest quota is 1 ms of the 100 ms period
  if ((m < 10)); then
    echo "$0: ACK_CPU_LIMIT $1 is below 10m, the smallest CPU quota the kernel takes (1 ms of each 100 ms)" >&2
    return 2
  fi
  echo "$m"
}
if [[ "${1:-}" == --millicores ]]; then
  [[ $# -eq 2 ]] || { echo "$usage" >&2; exit 2; }
  m=$(millicores "$2") || exit 2
  echo "${m}m"
  exit 0
fi
[[ $# -eq 3 ]] || { echo "$usage" >&2; exit 2; }
limit=$1 binary=$2 out=$3
millis=$(millicores "$limit") || exit 2
[[ -f "$binary" && -x "$binary" ]] || { echo "$0: $binary is not an executable file" >&2; exit 2; }
period=100000 quota=$((millis * 100))
name=${ACK_CGROUP_NAME:-ecs-bridge-ack-bench-${millis}m-$$}
[[ "$name" =~ ^[A-Za-z0-9._-]+$ && "$name" != . && "$name" != .. ]] \
  || { echo "$0: ACK_CGROUP_NAME is letters, digits, '.', '_' and '-', not $name" >&2; exit 2; }
fail() { echo "$0: cannot make the cgroup $1 with a CPU quota: $2" >&2; exit 1; }
if grep -qw cpu /sys/fs/cgroup/cgroup.controllers 2>/dev/null; then
  parent=/sys/fs/cgroup
  # a child has cpu.max only if its parent hands the cpu controller down
  group=$parent/$name
  grep -qw cpu "$parent/cgroup.subtree_control" || echo +cpu > "$parent/cgroup.subtree_control" \
    || fail "$group" "the cpu controller cannot be enabled for $parent's children (cgroup.subtree_control; in a \
container's own cgroup namespace, its processes keep it from being)"
  mkdir -p "$group" || fail "$group" "mkdir failed (not root? a read-only cgroup file system?)"
  echo "$quota $period" > "$group/cpu.max" || fail "$group" "writing cpu.max failed"
elif [[ -d /sys/fs/cgroup/cpu ]]; then
  parent=/sys/fs/cgroup/cpu
  group=$parent/$name
  mkdir -p "$group" || fail "$group" "mkdir failed (not root? a read-only cgroup file system?)"
  echo "$period" > "$group/cpu.cfs_period_us" || fail "$group" "writing cpu.cfs_period_us failed"
  echo "$quota" > "$group/cpu.cfs_quota_us" || fail "$group" "writing cpu.cfs_quota_us failed"
else
  echo "$0: no cgroup cpu controller here (neither /sys/fs/cgroup/cgroup.controllers with cpu nor /sys/fs/cgroup/cpu)" >&2
  exit 1
fi
# earlier runs' cgroups, once empty (a cgroup with a process left in it stays)
for old in "$parent"/ecs-bridge-ack-bench-*; do
  [[ -d "$old" && "$old" != "$group" ]] && rmdir "$old" 2>/dev/null || true
done
mkdir -p "$out"
wrapper=$out/ack-cpu-${millis}m-$(basename "$binary").sh
{
  echo "#!/usr/bin/env bash"
  echo "# ACK's controller limited to ${millis}m of CPU (hack/ack/cpu-limit.sh): this process joins the cgroup, then becomes it"
  printf 'echo $$ > %q || { echo cannot join the cgroup %q >&2; exit 1; }\n' "$group/cgroup.procs" "$group"
  printf 'exec %q "$@"\n' "$binary"
} > "$wrapper"
chmod +x "$wrapper"
echo "$wrapper"
