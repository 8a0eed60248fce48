-- wrk script for `cargo xtask bench` (loopback only; wrk's -d bounds it in time).
--   BENCH_MODE=create: POST /api/v1/annotationtasks, each a new task (a unique name) over the
--                      ~100 items named img_0001* of the demo dataset, split between 2 annotators
--   BENCH_MODE=me:     GET /api/v1/users/me, the floor: the same HTTP, token check and one
--                      database read, no task
-- BENCH_TOKEN, BENCH_DATASET and BENCH_PROJECT come from the bench. done() prints one line
-- `BENCH_JSON {...}` with the counts and latency percentiles (microseconds).

local mode = os.getenv("BENCH_MODE") or "create"
local token = os.getenv("BENCH_TOKEN") or ""
local dataset = os.getenv("BENCH_DATASET") or ""
local project = os.getenv("BENCH_PROJECT") or ""

local threads = {}
function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

local counter = 0
local headers = {
  ["Authorization"] = "Bearer " .. token,
  ["Content-Type"] = "application/json",
}
local query = '{\\"filter\\": {\\"$and\\": [{\\"hidden\\": false}, {\\"type\\": \\"file\\"}, {\\"name\\": \\"img_0001*\\"}]}, \\"page\\": 0, \\"pageSize\\": 1000, \\"resource\\": \\"items\\"}'

function request()
  if mode == "me" then
    return wrk.format("GET", "/api/v1/users/me", headers, nil)
  end
  counter = counter + 1
  local body = string.format(
    '{"name": "load-%d-%d", "datasetId": "%s", "projectId": "%s", "query": "%s", ' ..
    '"spec": {"type": "annotation"}, "dueDate": 4102444800000.0, "asynced": true, "priority": 2, ' ..
    '"assignmentIds": [], "workload": [{"assigneeId": "annotator1@demo.annotask", "load": 50}, ' ..
    '{"assigneeId": "annotator2@demo.annotask", "load": 50}]}',
    id or 0, counter, dataset, project, query)
  return wrk.format("POST", "/api/v1/annotationtasks", headers, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "errors_status": %d, "errors_connect": %d, ' ..
    '"errors_read": %d, "errors_write": %d, "errors_timeout": %d, "p50_us": %d, "p90_us": %d, ' ..
    '"p99_us": %d, "max_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
