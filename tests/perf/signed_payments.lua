-- wrk script for tests/perf/signature_bench.py: sends each PAYMENT-SIGNATURE header of the
-- file given after "--" once, in order, to /api/data, and stops once that many responses came
-- back (a payment sent twice would be a replay, which a strict facilitator refuses).
local headers = {}
local sent, done = 0, 0

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then headers[#headers + 1] = line end
  end
end

function request()
  sent = sent + 1
  local header = headers[((sent - 1) % #headers) + 1]
  return wrk.format("GET", "/api/data", { ["PAYMENT-SIGNATURE"] = header })
end

function response(status, headers_, body)
  done = done + 1
  if done >= #headers then wrk.thread:stop() end
end
