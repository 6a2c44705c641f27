-- wrk script: counts answers and the ones whose status is not the expected one
-- (`wrk ... -s count_statuses.lua URL -- 402`), summed over wrk's threads at the end.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  expected = tonumber(args[1])
  seen = 0
  unexpected = 0
end

function response(status, headers, body)
  seen = seen + 1
  if status ~= expected then
    unexpected = unexpected + 1
  end
end

function done(summary, latency, requests)
  local total_seen, total_unexpected = 0, 0
  for _, thread in ipairs(threads) do
    total_seen = total_seen + thread:get("seen")
    total_unexpected = total_unexpected + thread:get("unexpected")
  end
  io.write(string.format("STATUS-CHECK seen=%d unexpected=%d\n", total_seen, total_unexpected))
end
