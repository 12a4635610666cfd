-- GET one path; count statuses per thread.
package.path = debug.getinfo(1, "S").source:match("@?(.*/)") .. "?.lua;" .. package.path
local report = require("report")
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  counter, acked, s4xx, s5xx = 0, 0, 0, 0
end

function request()
  counter = counter + 1
  return wrk.request()
end

function response(status, headers, body)
  report.tally(status)
end

function done(summary, latency, requests)
  report.done(threads, summary, latency)
end
