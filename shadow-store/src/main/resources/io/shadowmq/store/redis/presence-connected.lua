-- Marks a thing connected under a new session. KEYS[1] presence hash   ARGV[1] session   ARGV[2] now
-- KEYS[2], optional: the change-feed partition to announce it on (not on a Redis Cluster: there the caller appends
-- after); then ARGV[3] feed MAXLEN (~) and ARGV[4..] the entry's fields (ChangeFeed.addTo).
redis.call('HSET', KEYS[1], 'session', ARGV[1], 'connected', '1', 'lastConnectedAt', ARGV[2])
if KEYS[2] then redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*', unpack(ARGV, 4)) end
return {'ok'}
