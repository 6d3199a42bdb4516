-- Removes a thing, its shadow document, its presence, its reported history and its commands (a thing provisioned again under the same id
-- must not be sent the old one's queue); the shadow's version survives so a thing provisioned again under the same
-- id never sees a version go backwards.
-- KEYS[1] thing hash   KEYS[2] shadow hash   KEYS[3] presence hash   KEYS[4] open commands   KEYS[5] all commands
-- KEYS[6] reported history stream
-- ARGV[1] command key prefix of the thing
-- Answers: {'deleted', type, owner} | {'nothing'}
-- Signature, in order:
-- KEYS: thing shadow presence openCommands allCommands history
-- ARGV: commandPrefix
local fields = redis.call('HMGET', KEYS[1], 'type', 'owner')
if not fields[1] then return {'nothing'} end
redis.call('DEL', KEYS[1], KEYS[3], KEYS[6])
redis.call('HDEL', KEYS[2], 'doc')
for _, id in ipairs(redis.call('ZRANGE', KEYS[5], 0, -1)) do redis.call('DEL', ARGV[1] .. id) end
for _, id in ipairs(redis.call('LRANGE', KEYS[4], 0, -1)) do redis.call('DEL', ARGV[1] .. id) end
redis.call('DEL', KEYS[4], KEYS[5])
return {'deleted', fields[1], fields[2]}
