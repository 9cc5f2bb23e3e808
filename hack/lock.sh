# Sourced by the prerequisites' build scripts (hack/go-tool.sh, hack/moto/ensure-moto.sh): take a build's lock, and
# while another process holds it say so, instead of waiting in silence for the minutes a first build takes.
#   take_lock FD FILE WHAT   locks FILE, already open on descriptor FD (exec FD>>FILE), with flock(1). When another
#                            process holds it, prints to stderr what is waited for (WHAT), which lock and who holds
#                            it, then progress every ECSBRIDGE_LOCK_PROGRESS_SECONDS (default 20) until it is ours.

# "pid N (its command line)" of the process holding a flock(2) lock on FILE, from /proc/locks (Linux); else "?".
lock_holder() {
  local inode pid args
  inode=$(stat -c %i "$1" 2>/dev/null) || { echo "?"; return; }
  # lines like "3: FLOCK  ADVISORY  WRITE 2173 fe:00:9986066 0 EOF"; a waiter's line has a "->" after the number
  pid=$(awk -v inode="$inode" '$2 == "FLOCK" { n = split($6, id, ":"); if (id[n] == inode) { print $5; exit } }' \
    /proc/locks 2>/dev/null)
  if [ -z "$pid" ]; then echo "?"; return; fi
  args=$(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | sed 's/ $//')
  echo "pid $pid${args:+ ($args)}"
}

take_lock() {
  local fd=$1 file=$2 what=$3 every=${ECSBRIDGE_LOCK_PROGRESS_SECONDS:-20} start=$SECONDS rc
  flock -n "$fd" && return 0
  echo "$0: waiting for $what: another process holds the lock $file, $(lock_holder "$file")" >&2
  while :; do
    rc=0
    flock -w "$every" "$fd" || rc=$?
    [ "$rc" -eq 0 ] && break
    [ "$rc" -eq 1 ] || { echo "$0: cannot lock $file (flock exit $rc)" >&2; return "$rc"; }
    echo "  ... still waiting for $what: lock $file, $(lock_holder "$file"): $((SECONDS - start)) s so far" >&2
  done
  echo "  got the lock $file after $((SECONDS - start)) s" >&2
}
