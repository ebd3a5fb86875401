#!/bin/bash
# End to end on a real single-node Slurm: provisions what is missing (slurm-wlm and munge from
# apt, a slurm.conf for this host with 2 CPUs, munged, slurmctld, slurmd), runs
# examples/cluster/sweep.slurm as a 2-task job array on a tiny sweep (scenarios/popularity.yaml for 2 days,
# 2 slate sizes × 2 seeds) with merge.slurm as the dependent job, runs the same sweep on this
# machine in one go, and compares the two folders byte for byte. Prints how long each phase took.
#
#   sudo bash bench/slurm-sweep.sh        # from the repository root; needs root and apt
#
# Not part of npm test (root, apt, minutes). A slurm.conf it did not write is left alone; the
# daemons it starts keep running (stop them with scontrol shutdown and by munged's pid file).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
started=$(date +%s.%N)
phase_start=$started
phase() { # name: prints the seconds since the last phase
  local now; now=$(date +%s.%N)
  printf '%-34s %6.1f s\n' "$1" "$(echo "$now - $phase_start" | bc)"
  phase_start=$now
}
[ "$(id -u)" = 0 ] || { echo "run as root: it installs packages and starts daemons" >&2; exit 2; }

# 1. Packages.
if ! command -v sbatch >/dev/null || ! command -v munged >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q slurm-wlm munge bc >/dev/null
fi
command -v bc >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q bc >/dev/null
phase "packages (apt)"

# 2. munge: a key, then the daemon.
if [ ! -s /etc/munge/munge.key ]; then
  mungekey --create --keyfile /etc/munge/munge.key 2>/dev/null || dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=1024 status=none
  chown munge:munge /etc/munge/munge.key && chmod 400 /etc/munge/munge.key
fi
mkdir -p /run/munge /var/log/munge /var/lib/munge && chown munge:munge /run/munge /var/log/munge /var/lib/munge
if ! munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1; then
  runuser -u munge -- /usr/sbin/munged
  sleep 1
fi
munge -n </dev/null | unmunge >/dev/null

# 3. slurm.conf for this host, unless one is there already (written by someone else).
host=$(hostname -s)
conf=/etc/slurm/slurm.conf
marker="# written by recloop bench/slurm-sweep.sh"
if [ ! -f "$conf" ] || grep -q "$marker" "$conf"; then
  mkdir -p /etc/slurm /var/lib/slurm/slurmd /var/lib/slurm/slurmctld /var/log/slurm
  cat > "$conf" <<CONF
$marker
ClusterName=recloop
SlurmctldHost=$host
SlurmUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
ReturnToService=2
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmdSpoolDir=/var/lib/slurm/slurmd
StateSaveLocation=/var/lib/slurm/slurmctld
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
NodeName=$host CPUs=2 State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
fi

# 4. The daemons (pid files tell whether ours are up), then wait for the node.
running() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
running /run/slurmctld.pid || slurmctld
running /run/slurmd.pid || slurmd
for _ in $(seq 60); do
  state=$(sinfo -h -n "$host" -o %T 2>/dev/null || true)
  case "$state" in idle*|mixed*|allocated*) break ;; down*|drain*) scontrol update nodename="$host" state=resume 2>/dev/null || true ;; esac
  sleep 1
done
sinfo -h -n "$host" -o '%T' | grep -Eq 'idle|mixed|allocated' || { echo "the node did not come up: $(sinfo -h -o '%T %E')" >&2; exit 1; }
phase "munge, slurmctld, slurmd up"

# 5. The sweep as a job array with a dependent merge, in a fresh folder.
work=$(mktemp -d /tmp/recloop-slurm-XXXXXX)
tsx=$(cd "$repo" && node -e "console.log(require('node:url').pathToFileURL(require.resolve('tsx')).href)")
export RECLOOP="node --import $tsx $repo/src/cli/main.ts"
export SCENARIO=$repo/scenarios/popularity.yaml
export SWEEP_ARGS="--set horizon.days=2 --grid recommender.slate_size=5,10 --seeds 2"
export SWEEP_DIR=$work/slices OUT=$work/merged
cd "$work"
jid=$(sbatch --parsable --array=0-1 --chdir="$work" --export=ALL "$repo/examples/cluster/sweep.slurm")
sbatch --wait --quiet --dependency=afterok:"$jid" --chdir="$work" --export=ALL "$repo/examples/cluster/merge.slurm" \
  || { echo "the merge job failed; logs in $work:" >&2; tail -n 20 "$work"/slurm-*.out >&2; exit 1; }
phase "Slurm: 2-task array + merge"

# 6. The same sweep on this machine, in one go.
# shellcheck disable=SC2086
$RECLOOP sweep "$SCENARIO" $SWEEP_ARGS --workers 2 --out "$work/whole" 2>/dev/null >/dev/null
phase "one machine: recloop sweep"

# 7. Byte for byte. experiment.json holds wall-clock figures (and, merged, which slice ran
# what); report.html's footer names the folder it was written from.
differ=$(diff -rq "$work/whole" "$work/merged" | sed "s|$work/||g" || true)
echo "$differ" | grep -v -e '^$' -e 'experiment.json' -e 'report.html' && { echo "FAIL: files differ" >&2; exit 1; }
sed "s|$work/whole|FOLDER|" "$work/whole/report.html" | cmp -s - <(sed "s|$work/merged|FOLDER|" "$work/merged/report.html") \
  || { echo "FAIL: report.html differs beyond its footer" >&2; exit 1; }
files=$(find "$work/whole" -type f | wc -l)
echo "identical: $((files - 2)) of $files files; experiment.json differs (wall clock), report.html only in its footer's folder path"
printf '%-34s %6.1f s\n' "total" "$(echo "$(date +%s.%N) - $started" | bc)"
echo "folders: $work/merged (Slurm) and $work/whole (one machine)"
