-- Marks a thing connected under a new session. KEYS[1] presence hash   ARGV: session, now
redis.call('HSET', KEYS[1], 'session', ARGV[1], 'connected', '1', 'lastConnectedAt', ARGV[2])
return {'ok'}
