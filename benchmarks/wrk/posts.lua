-- wrk script for benchmarks/load.py: concurrent form submissions, each one different.
-- Run with as many threads as connections. Each thread sends one request after another until
-- its time is up (or, confirming, its tokens are used), waits for the answer to the last, then
-- writes <folder>/done-<thread number>; as wrk itself runs for the whole of -d, load.py
-- interrupts it (SIGINT) once every thread has. Every thread sends for the same time, as the
-- bare page's load does, so that the server has every connection's work until the end: with a
-- fixed number each, the threads whose connections share a worker with fewer others finished
-- early and left the CPU a third idle while the rest caught up.
-- Arguments after "--": a folder, the seconds each thread sends for, then
--   sign                              sign the petition at the URL, each with a new email
--   confirm                           press "Confirm my signature" for each token in
--                                     <folder>/tokens-<thread number> (a 303 back to its page)
--   call <area id>                    send the call form at the URL
-- The n-th request of a thread is for its n-th answer (named after the folder, the thread and
-- n), so a request lost to a socket error is sent again rather than skipped. Each thread notes
-- when it sent its first request and had its last answer (gettimeofday through LuaJIT's FFI),
-- which gives the rate.
-- Prints one RESULT line: requests, microseconds from the first request to the last answer,
-- p50 ms, p95 ms, expected answers, other answers, socket errors.

local ffi = require("ffi")
ffi.cdef([[
  typedef struct { long tv_sec; long tv_usec; } timeval;
  int gettimeofday(timeval *tv, void *tz);
]])
local clock = ffi.new("timeval")

local function now_us()
  ffi.C.gettimeofday(clock, nil)
  return tonumber(clock.tv_sec) * 1000000 + tonumber(clock.tv_usec)
end

local CSRF = "benchmarkcsrfsecret0123456789abc"
local counter = 0
local threads = {}

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local function encode(value)
  return (tostring(value):gsub("[^%w%-%._~]", function(c)
    return c == " " and "+" or string.format("%%%02X", string.byte(c))
  end))
end

local function form(fields)
  local parts = { "csrfmiddlewaretoken=" .. CSRF }
  for _, pair in ipairs(fields) do
    table.insert(parts, pair[1] .. "=" .. encode(pair[2]))
  end
  return table.concat(parts, "&")
end

function init(args)
  folder = args[1]
  -- The folder's own name is new for every load, so answers never repeat between loads.
  tag = folder:match("([^/]+)$")
  table.remove(args, 1)
  seconds = tonumber(args[1])
  table.remove(args, 1)
  mode = args[1]
  ok, others, first_us, last_us = 0, 0, 0, 0
  headers = {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "csrftoken=" .. CSRF,
  }
  if mode == "confirm" then
    tokens = {}
    for line in io.lines(folder .. "/tokens-" .. id) do
      table.insert(tokens, line)
    end
    quota = #tokens
    expected = 303
  else
    quota = math.huge
    area = args[2]
    expected = 302
  end
end

function request()
  local index = math.min(ok + others + 1, quota)
  if first_us == 0 then
    first_us = now_us()
    deadline_us = first_us + seconds * 1000000
  end
  local n = tag .. "-" .. id .. "-" .. index
  if mode == "sign" then
    return wrk.format("POST", nil, headers, form({
      { "name", "Bench Signer " .. n },
      { "email", "bench" .. n .. "@example.org" },
      { "postcode", "L20 3AB" },
      { "address", "" },
      { "privacy_agreed", "on" },
      { "website", "" },
    }))
  elseif mode == "confirm" then
    local token = tokens[index]
    return wrk.format("POST", "/petition-signatures/" .. token .. "/confirm/", headers, form({
      { "next", "/petitions/confirm/" .. token .. "/" },
    }))
  else
    return wrk.format("POST", nil, headers, form({
      { "name", "Bench Caller " .. n },
      { "email", "caller" .. n .. "@example.org" },
      { "phone", "" },
      { "address", "1 Pine Court" },
      { "postcode", "L20 3AB" },
      { "tenure", "tenant" },
      { "business_area", area },
      { "concerns", "Repairs take months to be done." },
      { "actions_taken", "I phoned the repairs line three times." },
      { "complaint_stage", "stage_1" },
      { "complaint_reference", "" },
      { "complaint_finished", "yes" },
      { "service_failures", "Missed appointments." },
      { "others_affected", "no" },
      { "others_affected_why", "" },
      { "households_affected", "" },
      { "support_requested", "no" },
      { "support_contact", "" },
      { "privacy_agreed", "on" },
      { "website", "" },
    }))
  end
end

function response(status, headers, body)
  if status == expected then
    ok = ok + 1
  else
    others = others + 1
  end
  if ok + others >= quota or now_us() >= deadline_us then
    if last_us == 0 then
      last_us = now_us()
      io.open(folder .. "/done-" .. id, "w"):close()
    end
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local good, bad, first, last = 0, 0, math.huge, 0
  for _, thread in ipairs(threads) do
    good = good + thread:get("ok")
    bad = bad + thread:get("others")
    first = math.min(first, thread:get("first_us"))
    last = math.max(last, thread:get("last_us"))
  end
  local errors = summary.errors
  io.write(string.format(
    "RESULT %d %d %.2f %.2f %d %d %d\n",
    summary.requests,
    last - first,
    latency:percentile(50) / 1000,
    latency:percentile(95) / 1000,
    good,
    bad,
    errors.connect + errors.read + errors.write + errors.timeout
  ))
end
