-- Queues a new command of a thing: its hash, its place at the end of the thing's open list and in its listing, its
-- idempotency key; appends its feed entry (status queued) and routes it to the thing's watchers, as update.lua does.
-- KEYS[1] thing hash   KEYS[2] idempotency key (the command's own key when there is none)   KEYS[3] open list
-- KEYS[4] all commands (sorted set by createdAt)   KEYS[5] the command's hash   KEYS[6] watchers set
-- KEYS[7], optional: the change-feed partition (standalone/Sentinel only; on a Cluster the caller appends after)
-- ARGV[1] thing type the invocation was checked against   ARGV[2] owner (names the partition)
-- ARGV[3] fingerprint of the invocation ('' = no idempotency key)   ARGV[4] command id   ARGV[5] idempotency ms
-- ARGV[6] most open commands   ARGV[7] action   ARGV[8] input json ('' = none)   ARGV[9] createdAt
-- ARGV[10] expiresAt   ARGV[11] invokedBy   ARGV[12] '1' if the action is concurrent
-- ARGV[13] command key prefix of the thing   ARGV[14] retention cutoff (final commands created before it go)
-- ARGV[15] most commands kept   ARGV[16] node inbox key prefix   ARGV[17] inbox MAXLEN (~)
-- with KEYS[7]: ARGV[18] feed MAXLEN (~) and ARGV[19..] the feed entry's fields (FeedEntryInScript)
-- Answers: {'ok', feed entry id} | {'ok', '', node...} (no KEYS[7]: the caller routes to these nodes)
--        | {'claimed', fingerprint .. commandId} (the idempotency key was used)
--        | {'full', open count} | {'nothing'} (thing unknown) | {'stale', type, owner} (thing changed: recheck)
-- Old final commands are trimmed here, a few per call: invoking is what makes the listing grow.
-- The appending and routing is feed-route.lua's announce, loaded before this script.
-- Signature, in order (a name ending in ? is passed only on standalone and Sentinel Redis; ... is a list):
-- KEYS: thing idempotency open all command watchers partition?
-- ARGV: type owner fingerprint commandId idempotencyMillis maxOpen action input createdAt expiresAt invokedBy
-- ARGV: concurrent commandPrefix retentionCutoff maxKept inboxPrefix inboxMaxLength feedMaxLength? entry...?
local thing = redis.call('HMGET', KEYS[1], 'type', 'owner')
if not thing[1] then return {'nothing'} end
if thing[1] ~= ARGV[1] or thing[2] ~= ARGV[2] then return {'stale', thing[1], thing[2] or ''} end
if ARGV[3] ~= '' then
  local prior = redis.call('GET', KEYS[2])
  if prior then return {'claimed', prior} end
end
local open = redis.call('LLEN', KEYS[3])
if open >= tonumber(ARGV[6]) then return {'full', tostring(open)} end
redis.call('HSET', KEYS[5], 'commandId', ARGV[4], 'action', ARGV[7], 'input', ARGV[8], 'status', 'queued',
  'createdAt', ARGV[9], 'expiresAt', ARGV[10], 'invokedBy', ARGV[11], 'concurrent', ARGV[12],
  'updatedAt', ARGV[9], 'rev', '1')
redis.call('RPUSH', KEYS[3], ARGV[4])
redis.call('ZADD', KEYS[4], ARGV[9], ARGV[4])
if ARGV[3] ~= '' then redis.call('SET', KEYS[2], ARGV[3] .. ARGV[4], 'PX', ARGV[5]) end
local final = {succeeded = true, failed = true, expired = true, cancelled = true}
local function trim(id)
  local status = redis.call('HGET', ARGV[13] .. id, 'status')
  if status and not final[status] then return false end
  redis.call('DEL', ARGV[13] .. id)
  redis.call('ZREM', KEYS[4], id)
  return true
end
for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', '(' .. ARGV[14], 'LIMIT', 0, 16)) do trim(id) end
local over = redis.call('ZCARD', KEYS[4]) - tonumber(ARGV[15])
if over > 0 then
  for _, id in ipairs(redis.call('ZRANGE', KEYS[4], 0, over + 15)) do
    if over <= 0 then break end
    if trim(id) then over = over - 1 end
  end
end
return announce(KEYS[6], KEYS[7], ARGV[16], ARGV[17], ARGV[18], {unpack(ARGV, 19)})
