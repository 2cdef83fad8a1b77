# Shared by the service benchmarks: starts the packaged jar on H2 in memory with a fixed admin key.
# Build it first: ./mvnw -B -ntp package -DskipTests. Needs curl and (for reads and predictions) wrk.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
JAR="${JAR:-$(ls "$ROOT"/target/backprop-*.jar | grep -v original | head -n 1)}"
PORT="${PORT:-18080}"
KEY="${KEY:-benchkey-0123456789abcdef0123456789abcdef}"
AUTH="Authorization: Bearer $KEY"
BASE="http://localhost:$PORT"

start_service() {
  java --add-modules jdk.incubator.vector ${JAVA_OPTS:-} -jar "$JAR" --server.port="$PORT" \
    --spring.datasource.url='jdbc:h2:mem:bench;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH' \
    --backprop.security.admin-key="$KEY" "$@" > "${LOG:-/tmp/backprop-bench.log}" 2>&1 &
  SERVICE=$!
  trap 'kill $SERVICE 2> /dev/null; wait $SERVICE 2> /dev/null' EXIT
  for _ in $(seq 1 240); do curl -sf "$BASE/actuator/health" > /dev/null && return; sleep 0.5; done
  echo "the service did not start; see ${LOG:-/tmp/backprop-bench.log}" >&2
  exit 1
}

# post_run <layers JSON> <batch> <epochs> [rows]: prints the new run's id
post_run() {
  curl -s -X POST "$BASE/api/v1/runs" -H "$AUTH" -H 'Content-Type: application/json' -d '{"name": "bench",
    "dataset": {"generator": {"type": "classification", "rows": '"${4:-60000}"', "features": 784, "classes": 10, "seed": 1}},
    "model": {"layers": '"$1"', "loss": "cross_entropy"},
    "optimizer": {"type": "sgd", "learningRate": 0.01, "momentum": 0.9},
    "training": {"epochs": '"$3"', "batchSize": '"$2"', "validationSplit": 0, "seed": 1}}' \
    | grep -o '"id":"[^"]*"' | head -n 1 | cut -d'"' -f4
}

# Polls rarely and with curl alone: on two cores, a poller that spends CPU stalls a run's split products
# (a Python JSON parser every second cost the large network 30-40 % of its speed).
await_end() {
  until curl -s "$BASE/api/v1/runs/$1" -H "$AUTH" | grep -qE '"status":"(SUCCEEDED|FAILED|CANCELLED)"'; do sleep 4; done
}

SMALL='[{"units": 128, "activation": "relu"}, {"units": 10, "activation": "softmax"}]'
LARGE='[{"units": 512, "activation": "relu"}, {"units": 512, "activation": "relu"}, {"units": 10, "activation": "softmax"}]'
