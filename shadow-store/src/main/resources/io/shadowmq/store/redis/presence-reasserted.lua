-- A broker that lost its lease (paused past it: GC, network) and took it again shows a session it still holds
-- connected again - only if a reaper ended it (presence-run-ended.lua) and nothing happened to it since: not its
-- own disconnect (which clears 'reaped'), not a later session.
-- KEYS[1] presence hash   KEYS[2] thing hash (a thing deleted meanwhile gets no presence)   ARGV[1] session
-- ARGV[2] now (the new lastConnectedAt)
-- KEYS[3], optional: the change-feed partition to announce it on (not on a Redis Cluster: there the caller appends
-- after); then ARGV[3] feed MAXLEN (~) and ARGV[4..] the entry's fields (FeedEntryInScript).
-- Answers: {'connected'} | {'kept'} | {'no-thing'}
-- Signature, in order (a name ending in ? is passed only on standalone and Sentinel Redis; ... is a list):
-- KEYS: presence thing partition?
-- ARGV: session now feedMaxLength? entry...?
if redis.call('EXISTS', KEYS[2]) == 0 then return {'no-thing'} end
local fields = redis.call('HMGET', KEYS[1], 'session', 'connected', 'reaped')
if fields[1] ~= ARGV[1] or fields[2] == '1' or fields[3] ~= '1' then return {'kept'} end
redis.call('HSET', KEYS[1], 'connected', '1', 'lastConnectedAt', ARGV[2])
redis.call('HDEL', KEYS[1], 'reaped')
if KEYS[3] then redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[3], '*', unpack(ARGV, 4)) end
return {'connected'}
