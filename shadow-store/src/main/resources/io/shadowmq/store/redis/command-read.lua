-- Reads a thing's type and owner with one of its commands, or with all its open commands in queue order.
-- KEYS[1] thing hash   KEYS[2] open list   ARGV[1] command key prefix of the thing   ARGV[2] command id ('' = open)
-- Answers: {type or '', owner or '', n, field, value, ... (n of them), n, field, value, ...}: one group per command,
-- n = 0 for a command that is not there.
-- Signature, in order:
-- KEYS: thing open
-- ARGV: commandPrefix commandId
local thing = redis.call('HMGET', KEYS[1], 'type', 'owner')
local answer = {thing[1] or '', thing[2] or ''}
local ids = {ARGV[2]}
if ARGV[2] == '' then ids = redis.call('LRANGE', KEYS[2], 0, -1) end
for _, id in ipairs(ids) do
  local fields = redis.call('HGETALL', ARGV[1] .. id)
  answer[#answer + 1] = #fields
  for _, value in ipairs(fields) do answer[#answer + 1] = value end
end
return answer
