#!/bin/bash
# One run alone through the service: samples/s per epoch and the median of epochs 2 onwards.
#   src/test/bench/training.sh small|large [epochs] [jar arguments...]
# e.g. JAVA_OPTS=-XX:ActiveProcessorCount=1 src/test/bench/training.sh large 8   (one core)
set -euo pipefail
source "$(dirname "$0")/common.sh"
network=${1:-large}; epochs=${2:-8}; shift $(( $# < 2 ? $# : 2 ))
start_service "$@"
if [ "$network" = small ]; then run=$(post_run "$SMALL" 64 "$epochs"); else run=$(post_run "$LARGE" 256 "$epochs"); fi
await_end "$run"
curl -s "$BASE/api/v1/runs/$run/metrics" -H "$AUTH" -H 'Accept: text/csv' > /tmp/backprop-bench-epochs.csv
python3 - <<'PY'
import csv, statistics
rows = list(csv.DictReader(open('/tmp/backprop-bench-epochs.csv')))
rates = [round(float(r['samplesPerSecond'])) for r in rows]
print('samples/s per epoch:', rates)
print('median of epochs 2-:', round(statistics.median(rates[1:])))
PY
