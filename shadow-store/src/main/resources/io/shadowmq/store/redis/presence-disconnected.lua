-- Marks a thing disconnected, but only if the session that ends is still the current one: a thing that already
-- reconnected (maybe to another broker node) before the old session's disconnect was seen stays connected.
-- A session named 'node/run/counter' that is later in its run than the current one (or ends before any record
-- exists) ends before its connect was recorded: it becomes the current session, ended, so that its connect - if it
-- still arrives - is stale (presence-connected.lua) instead of showing the thing connected for ever.
-- KEYS[1] presence hash   KEYS[2] thing hash (a thing deleted meanwhile gets no presence)   ARGV[1] session
-- ARGV[2] now
-- KEYS[3], optional: the change-feed partition to announce it on (not on a Redis Cluster: there the caller appends
-- after); then ARGV[3] feed MAXLEN (~) and ARGV[4..] the entry's fields (FeedEntryInScript).
-- run_and_counter comes from presence-sessions.lua, loaded before this script.
-- Answers: {'disconnected'} (announced) | {'ended'} (recorded; was not shown connected) | {'superseded'}
--          | {'no-thing'}
-- Signature, in order (a name ending in ? is passed only on standalone and Sentinel Redis; ... is a list):
-- KEYS: presence thing partition?
-- ARGV: session now feedMaxLength? entry...?
if redis.call('EXISTS', KEYS[2]) == 0 then return {'no-thing'} end
local current = redis.call('HGET', KEYS[1], 'session')
if current ~= ARGV[1] then
  local run, counter = run_and_counter(ARGV[1])
  if not run then return {'superseded'} end
  if current then
    local current_run, current_counter = run_and_counter(current)
    if run ~= current_run or counter < current_counter then return {'superseded'} end
  end
end
local was_connected = redis.call('HGET', KEYS[1], 'connected') == '1'
redis.call('HSET', KEYS[1], 'session', ARGV[1], 'connected', '0', 'lastDisconnectedAt', ARGV[2])
redis.call('HDEL', KEYS[1], 'reaped') -- ended by its own disconnect: never shown connected again
if not was_connected then return {'ended'} end
if KEYS[3] then redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[3], '*', unpack(ARGV, 4)) end
return {'disconnected'}
