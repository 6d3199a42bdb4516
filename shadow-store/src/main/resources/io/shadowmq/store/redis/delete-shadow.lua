-- Deletes a shadow document but keeps its version, so the next shadow continues from it.
-- KEYS[1] shadow hash   KEYS[2] thing hash
-- Answers: {'nothing'} | {'absent'} | {'deleted', version, previous document}
-- Signature, in order (a name ending in ? is passed only on standalone and Sentinel Redis; ... is a list):
-- KEYS: shadow thing
-- ARGV: (none)
if redis.call('EXISTS', KEYS[2]) == 0 then return {'nothing'} end
local fields = redis.call('HMGET', KEYS[1], 'version', 'doc')
if not fields[2] then return {'absent'} end
redis.call('HDEL', KEYS[1], 'doc')
return {'deleted', fields[1] or '0', fields[2]}
