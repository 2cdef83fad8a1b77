#!/bin/bash
# wrk (1 thread, 8 connections) posting one 784-feature row as JSON to a trained 784-128-10, after a 40 s warm-up.
#   src/test/bench/predictions.sh [jar arguments...]
set -euo pipefail
source "$(dirname "$0")/common.sh"
start_service "$@"
run=$(post_run "$SMALL" 64 2 2000)
await_end "$run"
lua=$(mktemp --suffix=.lua)
python3 - "$lua" "$KEY" <<'PY'
import random, sys
random.seed(1)
row = ",".join("%.3f" % random.random() for _ in range(784))
open(sys.argv[1], "w").write('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
    'wrk.headers["Authorization"] = "Bearer %s"\nwrk.body = \'{"inputs": [[%s]]}\'\n' % (sys.argv[2], row))
PY
wrk -t1 -c8 -d40s -s "$lua" "$BASE/api/v1/runs/$run/predictions" > /dev/null
wrk -t1 -c8 -d20s --latency -s "$lua" "$BASE/api/v1/runs/$run/predictions" | grep -E 'Requests/sec|50%|99%|Non-2xx'
