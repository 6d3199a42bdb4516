-- Marks a thing connected under a new session.
-- KEYS[1] presence hash   KEYS[2] thing hash (a thing deleted meanwhile gets no presence)   ARGV[1] session
-- ARGV[2] now
-- KEYS[3], optional: the change-feed partition to announce it on (not on a Redis Cluster: there the caller appends
-- after); then ARGV[3] feed MAXLEN (~) and ARGV[4..] the entry's fields (FeedEntryInScript).
-- Sessions named 'node/run/counter' are ordered within their run: a connect that arrives after a later session of
-- the same run was recorded, or after its own disconnect (a write delayed or retried), changes nothing, so it can
-- never leave an ended session shown connected. The node (before the first '/') is kept for the restart sweep.
-- run_and_counter comes from presence-sessions.lua, loaded before this script.
-- Answers: {'connected'} | {'stale'} | {'no-thing'}
-- Signature, in order (a name ending in ? is passed only on standalone and Sentinel Redis; ... is a list):
-- KEYS: presence thing partition?
-- ARGV: session now feedMaxLength? entry...?
if redis.call('EXISTS', KEYS[2]) == 0 then return {'no-thing'} end
local current = redis.call('HGET', KEYS[1], 'session')
if current then
  local run, counter = run_and_counter(ARGV[1])
  local current_run, current_counter = run_and_counter(current)
  if run and run == current_run and counter <= current_counter then return {'stale'} end
end
local node = string.match(ARGV[1], '^([^/]*)/') or ''
redis.call('HSET', KEYS[1], 'session', ARGV[1], 'node', node, 'connected', '1', 'lastConnectedAt', ARGV[2])
redis.call('HDEL', KEYS[1], 'reaped')
if KEYS[3] then redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[3], '*', unpack(ARGV, 4)) end
return {'connected'}
