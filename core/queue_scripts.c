/* queue_scripts.c - the Lua scripts behind core/queue.c; see queue_scripts.h. */
#include "queue_scripts.h"

#define GROUP LG_QUEUE_GROUP

/* A delivery of entry (job id) of stream (prio 'hi' or 'lo'): {prio, entry, id, attempts, user, link, mode},
 * or false when the job was dead-lettered (delivered more than max times) or is gone or has ended (then
 * the entry is released). */
#define DELIVER                                                                                              \
    "local function deliver(prefix, stream, dead, prio, entry, id, max, now)\n"                              \
    "  local job = prefix .. ':job:{' .. id .. '}'\n"                                                        \
    "  local f = redis.call('HMGET', job, 'state', 'user', 'link', 'mode', 'error')\n"                       \
    "  if not f[1] or f[1] == 'ready' or f[1] == 'failed' then release(stream, entry); return false end\n"   \
    "  local n = redis.call('HINCRBY', job, 'attempts', 1)\n"                                                \
    "  if n <= tonumber(max) then return {prio, entry, id, n, f[2], f[3], f[4]} end\n"                       \
    "  local why = 'gave up after ' .. max .. ' attempts: ' .. (f[5] or 'the worker stopped')\n"             \
    "  redis.call('HSET', job, 'state', 'failed', 'error', why, 'updated_ms', now)\n"                        \
    "  redis.call('XADD', dead, '*', 'id', id, 'error', why)\n"                                              \
    "  emit(prefix, id, 'failed', cjson.encode({id = id, state = 'failed', error = why, at = "               \
    "tonumber(now)}))\n"                                                                                     \
    "  release(stream, entry)\n"                                                                             \
    "  keep(job)\n"                                                                                          \
    "  return false\n"                                                                                       \
    "end\n"

/* The next job for consumer, in one step: due retries go back into their streams; then a lapsed lease is
 * reclaimed (XAUTOCLAIM, following its cursor over the whole pending list), interactive first, by one
 * taker per quarter lease (the key `reclaim` says one looked and found nothing: a look that reclaims a
 * job lifts it, as the jobs of a dead worker lapse together and each take returns only one); then a new
 * entry, interactive first. Returns what deliver() does, or false when there is nothing to take. */
#define TAKE                                                                                                 \
    "local function take(hi, lo, delayed, dead, reclaim, prefix, consumer, lease, max, now)\n"               \
    "  local due = redis.call('ZRANGEBYSCORE', delayed, '-inf', now, 'LIMIT', 0, 100)\n"                     \
    "  for _, m in ipairs(due) do\n"                                                                         \
    "    local id, prio = string.match(m, '^(.*)|(.*)$')\n"                                                  \
    "    redis.call('XADD', prio == 'lo' and lo or hi, '*', 'id', id)\n"                                     \
    "    redis.call('ZREM', delayed, m)\n"                                                                   \
    "  end\n"                                                                                                \
    "  local streams, prios = {hi, lo}, {'hi', 'lo'}\n"                                                      \
    "  local function try(p, e)\n"                                                                           \
    "    local f = e[2]\n"                                                                                   \
    "    if not f or f[1] ~= 'id' then release(streams[p], e[1]); return false end\n"                        \
    "    return deliver(prefix, streams[p], dead, prios[p], e[1], f[2], max, now)\n"                         \
    "  end\n"                                                                                                \
    "  local scan = redis.call('SET', reclaim, '1', 'PX', math.max(1, math.floor(lease / 4)), 'NX')\n"       \
    "  for p = 1, scan and 2 or 0 do\n"                                                                      \
    "    local cursor = '0-0'\n"                                                                             \
    "    for round = 1, 1000 do\n"                                                                           \
    "      local r = redis.call('XAUTOCLAIM', streams[p], '" GROUP                                           \
    "', consumer, lease, cursor, 'COUNT', 1)\n"                                                              \
    "      cursor = r[1]\n"                                                                                  \
    "      for _, e in ipairs(r[2]) do\n"                                                                    \
    "        local got = try(p, e)\n"                                                                        \
    "        if got then redis.call('DEL', reclaim); return got end\n"                                       \
    "      end\n"                                                                                            \
    "      if cursor == '0-0' then break end\n"                                                              \
    "    end\n"                                                                                              \
    "  end\n"                                                                                                \
    "  for p = 1, 2 do\n"                                                                                    \
    "    for round = 1, 100 do\n"                                                                            \
    "      local r = redis.call('XREADGROUP', 'GROUP', '" GROUP                                              \
    "', consumer, 'COUNT', 1, 'STREAMS', streams[p], '>')\n"                                                 \
    "      if not r then break end\n"                                                                        \
    "      local got = try(p, r[1][2][1])\n"                                                                 \
    "      if got then return got end\n"                                                                     \
    "    end\n"                                                                                              \
    "  end\n"                                                                                                \
    "  return false\n"                                                                                       \
    "end\n"

/* What the scripts share. A job's history is capped at about 200 events, each entry holding the state
 * and the event's JSON, and each also published on PREFIX:events as "ID ENTRY STATE JSON" (ENTRY: its id
 * in the history); a finished job's record and history stay a week. A worker acts on a job only while the
 * stream entry of its delivery is pending for it: one whose lease lapsed and went to another worker has
 * lost it. */
#define PRELUDE                                                                                              \
    "local function emit(prefix, id, state, text)\n"                                                         \
    "  local e = redis.call('XADD', prefix .. ':job:{' .. id .. '}:events', 'MAXLEN', '~', 200, '*', "       \
    "'state', state, 'event', text)\n"                                                                       \
    "  redis.call('PUBLISH', prefix .. ':events', id .. ' ' .. e .. ' ' .. state .. ' ' .. text)\n"          \
    "end\n"                                                                                                  \
    "local function release(stream, entry)\n"                                                                \
    "  redis.call('XACK', stream, '" GROUP "', entry); redis.call('XDEL', stream, entry)\n"                  \
    "end\n"                                                                                                  \
    "local function keep(job)\n"                                                                             \
    "  redis.call('PEXPIRE', job, 604800000); redis.call('PEXPIRE', job .. ':events', 604800000)\n"          \
    "end\n"                                                                                                  \
    "local function owns(stream, entry, consumer)\n"                                                         \
    "  local p = redis.call('XPENDING', stream, '" GROUP "', entry, entry, 1)\n"                             \
    "  return p[1] ~= nil and p[1][2] == consumer\n"                                                         \
    "end\n" DELIVER TAKE

/* KEYS: dedup, stream. ARGV: prefix, id, window_ms, now_ms, user, link, mode, prio, delivery key ('' for
 * none), delivery ttl_ms. Returns {id, 1} for the same import queued and not ended yet, {id, 2} when the
 * delivery (a webhook's) was seen before, or {new id, 0}. The delivery is recorded with the job. A
 * refresh (a push) joins only a refresh still waiting: one already fetching may have read the
 * repository's refs before this push. */
const char lg_queue_enqueue_lua[] = PRELUDE
    "local seen = ARGV[9] ~= '' and redis.call('GET', ARGV[9])\n"
    "if seen then return {seen, 2} end\n"
    "local old = redis.call('GET', KEYS[1])\n"
    "if old then\n"
    "  local f = redis.call('HMGET', ARGV[1] .. ':job:{' .. old .. '}', 'state', 'user', 'link', 'mode')\n"
    "  if f[1] and f[1] ~= 'failed' and f[1] ~= 'ready' and (ARGV[7] ~= 'refresh' or f[1] == 'queued') and "
    "f[2] == ARGV[5] and f[3] == ARGV[6] and f[4] == ARGV[7] then\n"
    "    if ARGV[9] ~= '' then redis.call('SET', ARGV[9], old, 'PX', ARGV[10]) end\n"
    "    return {old, 1}\n"
    "  end\n"
    "end\n"
    "if ARGV[9] ~= '' then redis.call('SET', ARGV[9], ARGV[2], 'PX', ARGV[10]) end\n"
    "local job = ARGV[1] .. ':job:{' .. ARGV[2] .. '}'\n"
    "redis.call('HSET', job, 'id', ARGV[2], 'user', ARGV[5], 'link', ARGV[6], 'mode', ARGV[7],\n"
    "  'prio', ARGV[8], 'state', 'queued', 'attempts', 0, 'created_ms', ARGV[4], 'updated_ms', ARGV[4])\n"
    "redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])\n"
    "redis.call('XADD', KEYS[2], '*', 'id', ARGV[2])\n"
    "emit(ARGV[1], ARGV[2], 'queued', cjson.encode({id = ARGV[2], state = 'queued', at = "
    "tonumber(ARGV[4])}))\n"
    "return {ARGV[2], 0}\n";

/* One delivery, of an entry read by a blocking XREADGROUP. KEYS: stream, dead. ARGV: prefix, prio, entry,
 * id, max_attempts, now_ms. Returns what deliver() does. */
const char lg_queue_deliver_lua[] =
    PRELUDE "return deliver(ARGV[1], KEYS[1], KEYS[2], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6])\n";

/* The next job for consumer, in one round trip: due retries go back into their streams; then a lapsed
 * lease is reclaimed (XAUTOCLAIM, following its cursor over the whole pending list), interactive first;
 * then a new entry, interactive first. KEYS: hi, lo, delayed, dead. ARGV: prefix, consumer, lease_ms,
 * max_attempts, now_ms. Returns what deliver() does, or false when there is nothing to take. */
/* The next job for consumer. KEYS: hi, lo, delayed, dead, reclaim. ARGV: prefix, consumer, lease_ms,
 * max_attempts, now_ms. Returns what take() does. */
const char lg_queue_take_lua[] = PRELUDE
    "return take(KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5])\n";

/* A state change by the job's holder. KEYS: stream. ARGV: prefix, id, state, now_ms, data (JSON object
 * or ''), entry, consumer. Returns 0 when the job is no longer this consumer's. */
const char lg_queue_state_lua[] = PRELUDE
    "if not owns(KEYS[1], ARGV[6], ARGV[7]) then return 0 end\n"
    "local ev = {}\n"
    "if ARGV[5] ~= '' then ev = cjson.decode(ARGV[5]) end\n"
    "ev.id = ARGV[2]; ev.state = ARGV[3]; ev.at = tonumber(ARGV[4])\n"
    "local text = cjson.encode(ev)\n"
    "redis.call('HSET', ARGV[1] .. ':job:{' .. ARGV[2] .. '}', 'state', ARGV[3], 'updated_ms', ARGV[4])\n"
    "emit(ARGV[1], ARGV[2], ARGV[3], text)\n"
    "return 1\n";

/* The holder renews its lease (IDLE 0), or hands the job back at once (IDLE lease: the next take
 * anywhere reclaims it, so the reclaim throttle is lifted). KEYS: stream, reclaim. ARGV: entry, consumer,
 * idle_ms. Returns 0 when the job is no longer this consumer's. */
const char lg_queue_hold_lua[] =
    PRELUDE "if not owns(KEYS[1], ARGV[1], ARGV[2]) then return 0 end\n"
            "redis.call('XCLAIM', KEYS[1], '" GROUP "', ARGV[2], 0, ARGV[1], 'IDLE', ARGV[3], 'JUSTID')\n"
            "if ARGV[3] ~= '0' then redis.call('DEL', KEYS[2]) end\n"
            "return 1\n";

/* The end of a delivery, and with next = '1' the take of the consumer's next job. KEYS: stream, delayed,
 * dead, hi, lo, reclaim. ARGV: prefix, id, entry, now_ms, outcome ('ready' | 'failed' | 'retry' | 'dead'),
 * field (result or error), value, due_ms, prio name, consumer, lease_ms, max_attempts, next. A result (JSON
 * from our own code) goes into the event as it is: cjson would turn its [] into {}. Returns 0 when the job is
 * no longer this consumer's, else what take() does, or 1 for no next job. */
const char lg_queue_finish_lua[] = PRELUDE
    "if not owns(KEYS[1], ARGV[3], ARGV[10]) then return 0 end\n"
    "local job = ARGV[1] .. ':job:{' .. ARGV[2] .. '}'\n"
    "local state = ARGV[5]\n"
    "if state == 'retry' then state = 'queued' end\n"
    "if state == 'dead' then state = 'failed' end\n"
    "redis.call('HSET', job, 'state', state, ARGV[6], ARGV[7], 'updated_ms', ARGV[4])\n"
    "local ev = {id = ARGV[2], state = state, at = tonumber(ARGV[4])}\n"
    "if state ~= 'queued' then\n"
    "  ev.duration_ms = tonumber(ARGV[4]) - tonumber(redis.call('HGET', job, 'created_ms') or ARGV[4])\n"
    "end\n"
    "if ARGV[6] == 'error' then ev.error = ARGV[7] end\n"
    "if ARGV[5] == 'retry' then\n"
    "  ev.retry_at = tonumber(ARGV[8])\n"
    "  redis.call('ZADD', KEYS[2], ARGV[8], ARGV[2] .. '|' .. ARGV[9])\n"
    "elseif ARGV[5] == 'dead' then\n"
    "  redis.call('XADD', KEYS[3], '*', 'id', ARGV[2], 'error', ARGV[7])\n"
    "end\n"
    "local text = cjson.encode(ev)\n"
    "if ARGV[6] == 'result' then text = string.sub(text, 1, -2) .. ',\"result\":' .. ARGV[7] .. '}' end\n"
    "emit(ARGV[1], ARGV[2], state, text)\n"
    "release(KEYS[1], ARGV[3])\n"
    "if state ~= 'queued' then keep(job) end\n"
    "if ARGV[13] ~= '1' then return 1 end\n"
    "return take(KEYS[4], KEYS[5], KEYS[2], KEYS[3], KEYS[6], ARGV[1], ARGV[10], ARGV[11], ARGV[12], "
    "ARGV[4])\n"
    "  or 1\n";

/* The queue at a glance. KEYS: hi, lo, delayed, dead, workers. ARGV: now_ms. Returns {hi waiting, hi
 * running, lo waiting, lo running, delayed, dead, live workers}. A stream no worker has opened yet has
 * no group: all of it is waiting. */
const char lg_queue_status_lua[] = "local out = {}\n"
                                   "for i = 1, 2 do\n"
                                   "  local len = redis.call('XLEN', KEYS[i])\n"
                                   "  local ok, p = pcall(redis.call, 'XPENDING', KEYS[i], '" GROUP "')\n"
                                   "  local running = 0\n"
                                   "  if ok and type(p) == 'table' then running = p[1] end\n"
                                   "  out[#out + 1] = len - running; out[#out + 1] = running\n"
                                   "end\n"
                                   "out[5] = redis.call('ZCARD', KEYS[3])\n"
                                   "out[6] = redis.call('XLEN', KEYS[4])\n"
                                   "redis.call('ZREMRANGEBYSCORE', KEYS[5], '-inf', ARGV[1])\n"
                                   "out[7] = redis.call('ZCARD', KEYS[5])\n"
                                   "return out\n";
