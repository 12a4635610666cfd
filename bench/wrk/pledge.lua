-- POST the individual pledge form, a run-unique address per request.
-- Args: run id, CSRF token, session cookie, directory for the acknowledged-request logs.
-- Run with as many threads as connections: one connection per thread, so each response
-- answers the thread's last request and the acknowledged addresses can be logged exactly.
package.path = debug.getinfo(1, "S").source:match("@?(.*/)") .. "?.lua;" .. package.path
local report = require("report")
local threads = {}
local countries = { "MEX", "PHL", "SEN", "FRA", "---" }

function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

function init(args)
  run, token, cookie, outdir = args[1], args[2], args[3], args[4]
  counter, acked, s4xx, s5xx = 0, 0, 0, 0
  log = io.open(outdir .. "/acked-" .. tid .. ".txt", "w")
  log:setvbuf("line")
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["Cookie"] = cookie
end

function request()
  counter = counter + 1
  local body = "csrf_token=" .. token .. "&name=Bench+Signer&email=p-" .. run .. "-" .. tid ..
    "-" .. counter .. "%40bench.example.org&country=" .. countries[counter % #countries + 1] ..
    "&accept_privacy=y&homepage=&message="
  return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
  if report.tally(status) then
    log:write(counter, "\n")
  end
end

function done(summary, latency, requests)
  report.done(threads, summary, latency)
end
