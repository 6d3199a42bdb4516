-- A broker node started again: ends the thing's session if that node recorded it in an earlier run (the broker
-- went away without recording the disconnects), and keeps everything else - other nodes' sessions, this run's.
-- KEYS[1] presence hash   KEYS[2] thing hash (not read here: the caller skips things without an owner)
-- ARGV[1] node   ARGV[2] this run's session prefix ('node/run/')   ARGV[3] now
-- KEYS[3], optional: the change-feed partition to announce it on (not on a Redis Cluster: there the caller appends
-- after); then ARGV[4] feed MAXLEN (~) and ARGV[5..] the entry's fields (FeedEntryInScript).
-- Answers: {'disconnected'} | {'kept'}
-- Signature, in order (a name ending in ? is passed only on standalone and Sentinel Redis; ... is a list):
-- KEYS: presence thing partition?
-- ARGV: node runPrefix now feedMaxLength? entry...?
local fields = redis.call('HMGET', KEYS[1], 'connected', 'node', 'session')
if fields[1] ~= '1' or fields[2] ~= ARGV[1] then return {'kept'} end
if string.sub(fields[3] or '', 1, string.len(ARGV[2])) == ARGV[2] then return {'kept'} end
redis.call('HSET', KEYS[1], 'connected', '0', 'lastDisconnectedAt', ARGV[3])
if KEYS[3] then redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[4], '*', unpack(ARGV, 5)) end
return {'disconnected'}
