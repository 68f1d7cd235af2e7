-- wrk script: cycles through the paths given after `--`, signed in with $COOKIE, and prints
-- percentiles of the whole run. Paths starting with "POST " are posted (server functions).
local paths = {}
local i = 0
local cookie = os.getenv("COOKIE") or ""

function init(args)
  for _, p in ipairs(args) do
    table.insert(paths, p)
  end
end

function request()
  i = i % #paths + 1
  local p = paths[i]
  if p:sub(1, 5) == "POST " then
    local path, body = p:sub(6):match("^(%S+)%s+(.*)$")
    return wrk.format("POST", path, {
      ["Cookie"] = cookie,
      ["Accept"] = "application/json",
      ["Content-Type"] = "application/x-www-form-urlencoded",
    }, body)
  end
  return wrk.format("GET", p, { ["Cookie"] = cookie, ["Accept"] = "text/html" })
end

function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format(
    "requests=%d errors=%d rate=%.1f/s p50=%.1fms p95=%.1fms p99=%.1fms max=%.1fms\n",
    summary.requests, errors, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
