-- Marks a thing disconnected, but only if the session that ends is still the current one: a thing that already
-- reconnected (maybe to another broker node) before the old session's disconnect was seen stays connected.
-- KEYS[1] presence hash   ARGV[1] session   ARGV[2] now
-- KEYS[2], optional: the change-feed partition to announce it on (not on a Redis Cluster: there the caller appends
-- after); then ARGV[3] feed MAXLEN (~) and ARGV[4..] the entry's fields (ChangeFeed.addTo).
-- Answers: {'disconnected'} | {'superseded'}
local session = redis.call('HGET', KEYS[1], 'session')
if session ~= ARGV[1] then return {'superseded'} end
redis.call('HSET', KEYS[1], 'connected', '0', 'lastDisconnectedAt', ARGV[2])
if KEYS[2] then redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*', unpack(ARGV, 4)) end
return {'disconnected'}
