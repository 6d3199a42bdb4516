-- Moves one command to its next state, if it is still the state the change was computed from (its rev): a
-- compare-and-set, so a transition happens exactly once whichever node or sweeper tries it. The new state is
-- computed in Java (CommandTransitions); this script writes it, takes a final command off the open list, appends its
-- feed entry and routes it to the thing's watchers, as update.lua does.
-- KEYS[1] thing hash   KEYS[2] the command's hash   KEYS[3] open list   KEYS[4] watchers set
-- KEYS[5], optional: the change-feed partition (standalone/Sentinel only; on a Cluster the caller appends after)
-- ARGV[1] owner the entry was made for   ARGV[2] command id   ARGV[3] rev the change was computed from
-- ARGV[4] new status   ARGV[5] '1' if it is final   ARGV[6] progress ('' = none)   ARGV[7] output json ('' = none)
-- ARGV[8] reason ('' = none)   ARGV[9] updatedAt   ARGV[10] node inbox key prefix   ARGV[11] inbox MAXLEN (~)
-- with KEYS[5]: ARGV[12] feed MAXLEN (~) and ARGV[13..] the feed entry's fields (FeedEntryInScript)
-- Answers: {'ok', feed entry id} | {'ok', '', node...} (no KEYS[5]: the caller routes to these nodes)
--        | {'nothing'} (no such command) | {'stale'} (changed since it was read, or the thing changed owner)
-- The appending and routing is feed-route.lua's announce, loaded before this script.
-- Signature, in order (a name ending in ? is passed only on standalone and Sentinel Redis; ... is a list):
-- KEYS: thing command open watchers partition?
-- ARGV: owner commandId rev status final progress output reason updatedAt inboxPrefix inboxMaxLength
-- ARGV: feedMaxLength? entry...?
local rev = redis.call('HGET', KEYS[2], 'rev')
if not rev then return {'nothing'} end
if rev ~= ARGV[3] or redis.call('HGET', KEYS[1], 'owner') ~= ARGV[1] then return {'stale'} end
redis.call('HSET', KEYS[2], 'status', ARGV[4], 'updatedAt', ARGV[9], 'rev', tostring(tonumber(rev) + 1))
local optional = {progress = ARGV[6], output = ARGV[7], reason = ARGV[8]}
for field, value in pairs(optional) do
  if value == '' then redis.call('HDEL', KEYS[2], field) else redis.call('HSET', KEYS[2], field, value) end
end
if ARGV[5] == '1' then redis.call('LREM', KEYS[3], 0, ARGV[2]) end
return announce(KEYS[4], KEYS[5], ARGV[10], ARGV[11], ARGV[12], {unpack(ARGV, 13)})
