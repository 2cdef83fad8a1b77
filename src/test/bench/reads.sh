#!/bin/bash
# wrk (1 thread, 8 connections) on GET /runs/{id}: a finished run's status after a 40 s warm-up, then a
# 784-128-10 run's status while it trains, with the share of its speed it keeps.
#   src/test/bench/reads.sh [jar arguments, e.g. --backprop.requests.concurrency=2]
# NET=large trains 784-512-512-10 at batch 256 instead (every product split across the cores).
# TRAINING_NICE=n renices the run's training thread to n before the reads while it trains (an experiment:
# the service itself sets no priorities).
set -euo pipefail
source "$(dirname "$0")/common.sh"
start_service "$@"
done_run=$(post_run "$SMALL" 64 2)
await_end "$done_run"
wrk -t1 -c8 -d40s -H "$AUTH" "$BASE/api/v1/runs/$done_run" > /dev/null
echo "idle:"; wrk -t1 -c8 -d20s --latency -H "$AUTH" "$BASE/api/v1/runs/$done_run" | grep -E 'Requests/sec|50%|99%'
if [ "${NET:-small}" = large ]; then run=$(post_run "$LARGE" 256 400); else run=$(post_run "$SMALL" 64 400); fi
sleep 15
if [ -n "${TRAINING_NICE:-}" ]; then
  # the busiest db-scheduler thread is the one training the run
  tid=$(top -H -b -n1 -p "$SERVICE" | awk '$12 ~ /^db-sched/ && $9 + 0 > 50 {print $1; exit}')
  [ -n "$tid" ] || { echo "no training thread found" >&2; exit 1; }
  renice -n "$TRAINING_NICE" -p "$tid" > /dev/null
  echo "training thread $tid ($(cat /proc/$SERVICE/task/$tid/comm)) at nice $TRAINING_NICE"
fi
epoch() { curl -s "$BASE/api/v1/runs/$run" -H "$AUTH" | grep -o '"epoch":[0-9]*' | head -n 1 | cut -d: -f2; }
e0=$(epoch)
echo "while training:"; wrk -t1 -c8 -d20s --latency -H "$AUTH" "$BASE/api/v1/runs/$run" | grep -E 'Requests/sec|50%|99%'
e1=$(epoch)
sleep 10
curl -s -X POST "$BASE/api/v1/runs/$run/cancel" -H "$AUTH" > /dev/null
curl -s "$BASE/api/v1/runs/$run/metrics" -H "$AUTH" -H 'Accept: text/csv' > /tmp/backprop-bench-epochs.csv
python3 - "$e0" "$e1" <<'PY'
import csv, statistics, sys
e0, e1 = int(sys.argv[1]), int(sys.argv[2])
rate = {int(r['epoch']): float(r['samplesPerSecond']) for r in csv.DictReader(open('/tmp/backprop-bench-epochs.csv'))}
before = statistics.median(v for e, v in rate.items() if 2 <= e < e0)
during = statistics.median(v for e, v in rate.items() if e0 < e < e1)
print('training: %.0f samples/s before, %.0f during the reads: %.0f %% kept' % (before, during, 100 * during / before))
PY
