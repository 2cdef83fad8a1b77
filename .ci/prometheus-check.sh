#!/usr/bin/env bash
# A real Prometheus scrapes the running service while a run trains; then every PromQL expression of
# the Grafana dashboard runs through Prometheus's HTTP API and must return at least one series.
# Needs: the built jar in target/, prometheus and promtool (Debian's package), python3, curl.
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d)
app_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
prom_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

# Keys as compose hands them over: files whose names are the properties (Spring's configtree).
admin_key=$(head -c 32 /dev/urandom | base64 | tr -d '/+=\n')
metrics_key=$(head -c 32 /dev/urandom | base64 | tr -d '/+=\n')
mkdir -p "$work/secrets"
printf '%s\n' "$admin_key" > "$work/secrets/backprop.security.admin-key"
printf '%s\n' "$metrics_key" > "$work/secrets/backprop.security.metrics-key"

echo "promtool check config on the shipped configuration (its key file beside it, as compose mounts it):"
mkdir -p "$work/shipped"
cp src/main/docker/prometheus/prometheus.yml "$work/shipped/prometheus.yml"
cp "$work/secrets/backprop.security.metrics-key" "$work/shipped/metrics-key"
promtool check config "$work/shipped/prometheus.yml"

jar=$(ls target/backprop-*.jar | grep -v plain | head -n 1)
java --add-modules jdk.incubator.vector -jar "$jar" --server.port="$app_port" \
  --server.address=127.0.0.1 \
  --spring.datasource.url="jdbc:h2:file:$work/db;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH" \
  --spring.config.import="optional:configtree:$work/secrets/" \
  > "$work/app.log" 2>&1 &
pids+=($!)

cat > "$work/prometheus.yml" <<CONF
global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: backprop
    metrics_path: /actuator/prometheus
    authorization:
      type: Bearer
      credentials_file: $work/secrets/backprop.security.metrics-key
    static_configs:
      - targets: ["127.0.0.1:$app_port"]
CONF
promtool check config "$work/prometheus.yml"
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
  --web.listen-address="127.0.0.1:$prom_port" > "$work/prometheus.log" 2>&1 &
pids+=($!)

for i in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$app_port/actuator/health" > /dev/null 2>&1 && break
  sleep 1
done
curl -fs "http://127.0.0.1:$app_port/actuator/health" > /dev/null || { tail -50 "$work/app.log"; exit 1; }

api="http://127.0.0.1:$app_port/api/v1/runs"
run() { curl -fs -X POST -H "Authorization: Bearer $admin_key" -H 'Content-Type: application/json' "$api" -d "$1" > /dev/null; }

echo "the scrape endpoint refuses a request without a key:"
test "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$app_port/actuator/prometheus")" = 401
run '{"name":"quick","dataset":{"builtin":"iris"},"model":{"layers":[{"units":8,"activation":"relu"},{"units":3,"activation":"softmax"}],"loss":"cross_entropy"},"optimizer":{"type":"adam","learningRate":0.01},"training":{"epochs":3}}'
run '{"name":"observed","dataset":{"generator":{"type":"classification","rows":20000,"features":64,"classes":4,"seed":1}},"model":{"layers":[{"units":64,"activation":"relu"},{"units":4,"activation":"softmax"}],"loss":"cross_entropy"},"optimizer":{"type":"sgd","learningRate":0.01,"momentum":0.9},"training":{"epochs":100000,"batchSize":4,"validationSplit":0.1}}'

echo "letting Prometheus scrape the training run for 25 s"
sleep 25

python3 - "$prom_port" <<'PY'
import json, sys, urllib.parse, urllib.request
port = sys.argv[1]
dashboard = json.load(open("src/main/docker/grafana/dashboards/backprop.json"))
failed = 0
total = 0
for panel in dashboard["panels"]:
    for target in panel["targets"]:
        expr = target["expr"].replace("$instance", ".*").replace("$run", ".*")
        url = f"http://127.0.0.1:{port}/api/v1/query?" + urllib.parse.urlencode({"query": expr})
        body = json.load(urllib.request.urlopen(url))
        series = body["data"]["result"] if body.get("status") == "success" else []
        total += 1
        ok = len(series) > 0
        failed += 0 if ok else 1
        print(f"{'ok  ' if ok else 'FAIL'} {len(series):3d} series  [{panel['title']}] {expr}")
print(f"dashboard queries: {total - failed} with series, {failed} empty")
up = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/query?" + urllib.parse.urlencode({"query": "up"})))
print("scrape target up (authenticated with the metrics key):", up["data"]["result"][0]["value"][1] if up["data"]["result"] else "none")
sys.exit(1 if failed else 0)
PY
