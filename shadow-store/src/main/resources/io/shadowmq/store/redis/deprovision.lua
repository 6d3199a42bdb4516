-- Removes a thing, its shadow document and its presence; the shadow's version survives so a thing provisioned
-- again under the same id never sees a version go backwards.
-- KEYS[1] thing hash   KEYS[2] shadow hash   KEYS[3] presence hash
-- Answers: {'deleted', type, owner} | {'nothing'}
-- Signature, in order:
-- KEYS: thing shadow presence
-- ARGV: (none)
local fields = redis.call('HMGET', KEYS[1], 'type', 'owner')
if not fields[1] then return {'nothing'} end
redis.call('DEL', KEYS[1], KEYS[3])
redis.call('HDEL', KEYS[2], 'doc')
return {'deleted', fields[1], fields[2]}
