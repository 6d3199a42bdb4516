-- A broker run is over (its lease expired, or it stopped): ends the thing's session if that run recorded it and
-- it is still shown connected. A thing that reconnected elsewhere (or again on a later run) names another session
-- and is kept, so this is safe to run late, twice, or from several reapers at once.
-- KEYS[1] presence hash   KEYS[2] thing hash (not read here: the caller skips things without an owner)
-- ARGV[1] the run's session prefix ('node/run/')   ARGV[2] now
-- KEYS[3], optional: the change-feed partition to announce it on (not on a Redis Cluster: there the caller appends
-- after); then ARGV[3] feed MAXLEN (~) and ARGV[4..] the entry's fields (FeedEntryInScript).
-- 'reaped' marks a session ended here rather than by its own disconnect: should the broker come back (it was only
-- paused), presence-reasserted.lua shows it connected again.
-- Answers: {'disconnected'} | {'kept'}
-- Signature, in order (a name ending in ? is passed only on standalone and Sentinel Redis; ... is a list):
-- KEYS: presence thing partition?
-- ARGV: runPrefix now feedMaxLength? entry...?
local fields = redis.call('HMGET', KEYS[1], 'connected', 'session')
if fields[1] ~= '1' then return {'kept'} end
if string.sub(fields[2] or '', 1, string.len(ARGV[1])) ~= ARGV[1] then return {'kept'} end
redis.call('HSET', KEYS[1], 'connected', '0', 'lastDisconnectedAt', ARGV[2], 'reaped', '1')
if KEYS[3] then redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[3], '*', unpack(ARGV, 4)) end
return {'disconnected'}
