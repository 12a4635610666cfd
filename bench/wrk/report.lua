-- Shared by the wrk scripts: one JSON line with wrk's own figures and per-thread tallies.
local M = {}

function M.done(threads, summary, latency)
  local acked, s4xx, s5xx, sent = 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    acked = acked + (thread:get("acked") or 0)
    s4xx = s4xx + (thread:get("s4xx") or 0)
    s5xx = s5xx + (thread:get("s5xx") or 0)
    sent = sent + (thread:get("counter") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH-JSON {"duration_us":%d,"requests":%d,"acked":%d,"s4xx":%d,"s5xx":%d,' ..
    '"generated":%d,"connect_errors":%d,"read_errors":%d,"write_errors":%d,' ..
    '"status_errors":%d,"timeouts":%d,"p50_us":%d,"p99_us":%d,"mean_us":%.1f}\n',
    summary.duration, summary.requests, acked, s4xx, s5xx, sent, e.connect, e.read, e.write,
    e.status, e.timeout, latency:percentile(50), latency:percentile(99), latency.mean))
end

function M.tally(status)
  if status >= 500 then
    s5xx = s5xx + 1
  elseif status >= 400 then
    s4xx = s4xx + 1
  elseif status >= 200 then
    acked = acked + 1
    return true
  end
  return false
end

return M
