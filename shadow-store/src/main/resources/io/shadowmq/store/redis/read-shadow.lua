-- Reads a shadow together with the facts needed to update it.
-- KEYS[1] shadow hash   KEYS[2] thing hash
-- Answers: {'nothing'} (thing unknown) | {'found', type, owner, version, doc or ''}
-- Signature, in order (a name ending in ? is passed only on standalone and Sentinel Redis; ... is a list):
-- KEYS: shadow thing
-- ARGV: (none)
local thing = redis.call('HMGET', KEYS[2], 'type', 'owner')
if not thing[1] then return {'nothing'} end
local fields = redis.call('HMGET', KEYS[1], 'version', 'doc')
return {'found', thing[1], thing[2], fields[1] or '0', fields[2] or ''}
