-- DataCovey reliability load (scripts/reliability): wrk runs this on every connection. A mix
-- of what people and programs do, through nginx: list datasets (40 %), page rows (25 %), add
-- a row (15 %), run a query (15 %), start a small import (5 %). Answers are counted by class
-- per thread and summed in done(); the last line is RESULT key=value ... for the script.
-- Environment: RELIABILITY_TOKEN, RELIABILITY_PROJECT, RELIABILITY_TABLE, RELIABILITY_IMPORT_TABLE,
-- RELIABILITY_DATASET (the dataset's name, for the query's SQL).

local threads = {}

function setup(thread)
    thread:set("id", #threads)
    table.insert(threads, thread)
end

function init(args)
    local token = os.getenv("RELIABILITY_TOKEN")
    local project = os.getenv("RELIABILITY_PROJECT")
    local rows_table = os.getenv("RELIABILITY_TABLE")
    local import_table = os.getenv("RELIABILITY_IMPORT_TABLE")
    local dataset = os.getenv("RELIABILITY_DATASET")
    local json = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }
    local csv = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "text/csv" }
    local plain = { ["Authorization"] = "Bearer " .. token }
    local list = wrk.format("GET", "/api/v1/projects/" .. project .. "/datasets", plain)
    local page = wrk.format("GET", "/api/v1/tables/" .. rows_table .. "/rows?limit=50", plain)
    local insert = wrk.format("POST", "/api/v1/tables/" .. rows_table .. "/rows", json, '[{"n": 7, "note": "load"}]')
    local query = wrk.format("POST", "/api/v1/projects/" .. project .. "/query", json,
        '{"sql": "SELECT COUNT(*) AS n FROM ' .. dataset .. '.rows_table"}')
    local import = wrk.format("POST", "/api/v1/tables/" .. import_table .. "/imports", csv, "n,note\n1,a\n2,b\n")
    mix = {}
    for i = 1, 40 do mix[#mix + 1] = list end
    for i = 1, 25 do mix[#mix + 1] = page end
    for i = 1, 15 do mix[#mix + 1] = insert end
    for i = 1, 15 do mix[#mix + 1] = query end
    for i = 1, 5 do mix[#mix + 1] = import end
    counter = id * 7
    s2xx, s4xx, s429, s5xx, other = 0, 0, 0, 0, 0
end

function request()
    counter = counter + 1
    return mix[(counter % #mix) + 1]
end

function response(status, headers, body)
    if status >= 500 then s5xx = s5xx + 1
    elseif status == 429 then s429 = s429 + 1
    elseif status >= 400 then s4xx = s4xx + 1
    elseif status >= 200 and status < 300 then s2xx = s2xx + 1
    else other = other + 1 end
end

function done(summary, latency, requests)
    local t = { s2xx = 0, s4xx = 0, s429 = 0, s5xx = 0, other = 0 }
    for _, thread in ipairs(threads) do
        for key, _ in pairs(t) do t[key] = t[key] + (thread:get(key) or 0) end
    end
    local errors = summary.errors
    io.write(string.format(
        "RESULT requests=%d rps=%.0f s2xx=%d s4xx=%d s429=%d s5xx=%d other=%d socket_errors=%d p50_ms=%.1f p99_ms=%.1f max_ms=%.1f\n",
        summary.requests, summary.requests / (summary.duration / 1e6), t.s2xx, t.s4xx, t.s429, t.s5xx, t.other,
        errors.connect + errors.read + errors.write + errors.timeout,
        latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
