-- wrk script: after the run, one line with the latency percentiles from p50 to p99.9 and the maximum,
-- to see the shape of a tail rather than one point of it.
--   wrk -t1 -c8 -d20s -s src/test/bench/percentiles.lua -H "Authorization: Bearer ..." http://localhost:18080/api/v1/runs/{id}
done = function(summary, latency, requests)
  for _, p in ipairs({50, 90, 95, 97, 98, 99, 99.5, 99.9}) do
    io.write(string.format("p%s=%.2fms ", p, latency:percentile(p) / 1000))
  end
  io.write(string.format("max=%.1fms requests=%d\n", latency.max / 1000, summary.requests))
end
