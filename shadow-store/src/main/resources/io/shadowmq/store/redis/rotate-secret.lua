-- Replaces a thing's secret hash. KEYS[1] thing hash   ARGV[1] new secret hash
-- Answers: {'rotated', owner} | {'nothing'}
-- Signature, in order:
-- KEYS: thing
-- ARGV: secretHash
local owner = redis.call('HGET', KEYS[1], 'owner')
if not owner then return {'nothing'} end
redis.call('HSET', KEYS[1], 'secretHash', ARGV[1])
return {'rotated', owner}
