-- Marks a thing disconnected, but only if the session that ends is still the current one: a thing that already
-- reconnected (maybe to another broker node) before the old session's disconnect was seen stays connected.
-- KEYS[1] presence hash   ARGV: session, now
-- Answers: {'disconnected'} | {'superseded'}
local session = redis.call('HGET', KEYS[1], 'session')
if session ~= ARGV[1] then return {'superseded'} end
redis.call('HSET', KEYS[1], 'connected', '0', 'lastDisconnectedAt', ARGV[2])
return {'disconnected'}
