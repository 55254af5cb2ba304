-- wrk script for bench/versioning.sh: each request writes to one table through the rows API.
-- BENCH_MODE=insert: POST /api/v1/tables/{id}/rows with BENCH_BATCH new rows (ids unique per
-- thread and request, so nothing collides); BENCH_MODE=update: PATCH one existing row by key
-- (ids 1..BENCH_KEYS, spread evenly). BENCH_TABLE, BENCH_TOKEN from the environment.
local table_id = os.getenv("BENCH_TABLE")
local token = os.getenv("BENCH_TOKEN")
local mode = os.getenv("BENCH_MODE") or "insert"
local batch = tonumber(os.getenv("BENCH_BATCH") or "100")
local keys = tonumber(os.getenv("BENCH_KEYS") or "1000000")
local base_id = tonumber(os.getenv("BENCH_FIRST_ID") or "10000000")

local threads = 0
function setup(thread)
    threads = threads + 1
    thread:set("slot", threads)
end

local counter = 0
function request()
    counter = counter + 1
    local headers = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }
    if mode == "update" then
        local key = ((counter * 7919 + slot * 104729) % keys) + 1
        return wrk.format("PATCH", "/api/v1/tables/" .. table_id .. "/rows/" .. key, headers,
            '{"amount":"' .. (counter % 100000) .. '.25"}')
    end
    local first = base_id + (slot * 100000000) + (counter - 1) * batch
    local rows = {}
    for i = 0, batch - 1 do
        local id = first + i
        rows[#rows + 1] = '{"id":' .. id .. ',"name":"n' .. id .. '","amount":"12.50","at":"2026-11-25T10:00:00Z","ok":true,"note":null}'
    end
    return wrk.format("POST", "/api/v1/tables/" .. table_id .. "/rows", headers, "[" .. table.concat(rows, ",") .. "]")
end

function done(summary, latency, requests)
    io.write(string.format("RESULT %.1f %.2f %.2f %d\n", summary.requests / (summary.duration / 1e6),
        latency:percentile(50) / 1000, latency:percentile(99) / 1000,
        summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
