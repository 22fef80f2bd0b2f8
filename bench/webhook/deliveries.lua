-- deliveries.lua - wrk script for bench/webhook: every request a distinct, signed GitHub `push` delivery.
--
--   wrk -t T -c C -d D -s deliveries.lua URL -- TEMPLATE SECRET REPOS RATE NONCE
--
-- TEMPLATE is the payload template payload.py wrote (JSON with @@TOKEN@@ where deliveries differ). Each
-- request renders it for one repository: REPOS > 0 cycles each thread through repositories
-- (tid + T * k) mod REPOS; REPOS = 0 gives every delivery a repository of its own. Its commit ids come
-- from NONCE (8 hex digits, one per run), the thread and a counter, so no two deliveries of a run share
-- them; its X-GitHub-Delivery GUID is made the same way; its X-Hub-Signature-256 is HMAC-SHA256 with
-- SECRET over the rendered body, by OpenSSL's HMAC() through LuaJIT's FFI (wrk links libcrypto).
-- RATE > 0 paces the requests at that many per second over all threads (delay() schedules each
-- request at the thread's next slot; a slot missed because every connection was busy goes out at once,
-- so the offered rate holds as long as a connection is free); 0 sends the next request as soon as a
-- connection's answer is in. response() counts answers by status, and the 202s that made a new job
-- ("joined":false). done() prints one line, "BENCH key=value ...".

local ffi = require("ffi")
ffi.cdef [[
typedef struct evp_md_st EVP_MD;
const EVP_MD *EVP_sha256(void);
unsigned char *HMAC(const EVP_MD *evp_md, const void *key, int key_len, const unsigned char *d, size_t n,
                    unsigned char *md, unsigned int *md_len);
struct lg_timespec { long tv_sec; long tv_nsec; };
int clock_gettime(int clk, struct lg_timespec *tp);
]]

local threads = {}
local nthreads = 0

function setup(thread)
  thread:set("tid", nthreads)
  nthreads = nthreads + 1
  table.insert(threads, thread)
end

local crypto
local md = ffi.new("unsigned char[32]")
local mdlen = ffi.new("unsigned int[1]")
local ts = ffi.new("struct lg_timespec")
local HEX = {}
for i = 0, 255 do HEX[i] = string.format("%02x", i) end

local function now_s()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) * 1e-9
end

local parts, names = {}, {}
local secret, repos, rate, nonce, T
local head
local k = 0
local interval, next_slot

-- counters read by done() through thread:get
sent, c202, c200, c4xx, c5xx, cother, fresh, first_bad = 0, 0, 0, 0, 0, 0, 0, ""

local function sign(body)
  crypto.HMAC(crypto.EVP_sha256(), secret, #secret, body, #body, md, mdlen)
  local h = {}
  for i = 0, 31 do h[i + 1] = HEX[md[i]] end
  return table.concat(h)
end

function init(args)
  local f = assert(io.open(args[1], "rb"))
  local tpl = f:read("*a")
  f:close()
  secret = args[2]
  repos = tonumber(args[3])
  rate = tonumber(args[4])
  nonce = args[5]
  T = tonumber(args[6])
  local ok, C = pcall(function() local c = ffi.C; local _ = c.HMAC; return c end)
  crypto = ok and C or ffi.load("libcrypto.so.3")
  local pos = 1
  while true do
    local s, e, name = tpl:find("@@(%u+)@@", pos)
    if not s then break end
    parts[#parts + 1] = tpl:sub(pos, s - 1)
    names[#names + 1] = name
    pos = e + 1
  end
  parts[#parts + 1] = tpl:sub(pos)
  local host = wrk.headers["Host"] or (wrk.host .. ":" .. wrk.port)
  head = "POST " .. wrk.path .. " HTTP/1.1\r\nHost: " .. host .. "\r\n" ..
         "Accept: */*\r\nUser-Agent: GitHub-Hookshot/7e1f0a2\r\nContent-Type: application/json\r\n" ..
         "X-GitHub-Event: push\r\nX-GitHub-Hook-ID: 482915733\r\n" ..
         "X-GitHub-Hook-Installation-Target-ID: 700000000\r\n" ..
         "X-GitHub-Hook-Installation-Target-Type: repository\r\n"
  if rate > 0 then
    interval = T / rate
    delay = function()
      local now = now_s()
      if next_slot == nil then next_slot = now + interval * tid / T end
      local slot = next_slot
      next_slot = slot + interval
      local ms = (slot - now) * 1000
      return ms > 0 and ms or 0
    end
  end
end

local values = {}

function request()
  local index
  if repos > 0 then
    index = (tid + T * k) % repos
  else
    index = tid * 10000000 + k
  end
  local sha = string.format("%s%08x%016x", nonce, tid, k)
  values.OWNER = string.format("lgbench%02d", index % 20)
  values.REPO = string.format("repo-%08d", index)
  values.RID = tostring(700000000 + index)
  values.OID = tostring(90000000 + index % 20)
  values.SHA = sha
  values.TS = "1764000000"
  local out = {}
  local n = #names
  for i = 1, n do
    out[2 * i - 1] = parts[i]
    out[2 * i] = values[names[i]]
  end
  out[2 * n + 1] = parts[n + 1]
  local body = table.concat(out)
  local guid = string.format("%s-%04d-4000-8000-%012d", nonce, tid, k)
  k = k + 1
  sent = sent + 1
  return head .. "X-GitHub-Delivery: " .. guid .. "\r\nX-Hub-Signature-256: sha256=" .. sign(body) ..
         "\r\nContent-Length: " .. #body .. "\r\n\r\n" .. body
end

function response(status, headers, body)
  if status == 202 then
    c202 = c202 + 1
    if body:find('"joined":false', 1, true) then fresh = fresh + 1 end
  elseif status == 200 then
    c200 = c200 + 1
  elseif status >= 400 and status < 500 then
    c4xx = c4xx + 1
  elseif status >= 500 then
    c5xx = c5xx + 1
  else
    cother = cother + 1
  end
  if status ~= 202 and first_bad == "" then
    first_bad = tostring(status) .. " " .. body:sub(1, 200):gsub("%s", " ")
  end
end

function done(summary, latency, requests)
  local t = {sent = 0, c202 = 0, c200 = 0, c4xx = 0, c5xx = 0, cother = 0, fresh = 0}
  local bad = ""
  for _, th in ipairs(threads) do
    for key in pairs(t) do t[key] = t[key] + (th:get(key) or 0) end
    local b = th:get("first_bad")
    if bad == "" and b and b ~= "" then bad = b end
  end
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d bytes=%d connect=%d read=%d write=%d status=%d timeout=%d " ..
    "p50_us=%d p90_us=%d p99_us=%d p999_us=%d max_us=%d mean_us=%.0f sent=%d c202=%d c200=%d c4xx=%d " ..
    "c5xx=%d cother=%d fresh=%d\n",
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),
    latency.max, latency.mean, t.sent, t.c202, t.c200, t.c4xx, t.c5xx, t.cother, t.fresh))
  if bad ~= "" then io.write("BENCHBAD " .. bad .. "\n") end
end
