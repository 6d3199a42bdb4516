-- One page of a thing's commands, newest first, optionally only those of one status.
-- KEYS[1] all commands (sorted set by createdAt)   ARGV[1] command key prefix of the thing
-- ARGV[2] cursor: createdAt of the last command of the previous page ('' = first page)   ARGV[3] its command id
-- ARGV[4] page size   ARGV[5] status ('' = any)
-- Answers: {n, field, value, ... (n of them), ...}: at most page size + 1 commands (one more tells of a next page).
-- A cursor whose command was trimmed meanwhile resumes after the commands created at or after its time.
-- Signature, in order:
-- KEYS: all
-- ARGV: commandPrefix cursorCreatedAt cursorId limit status
local start = 0
if ARGV[2] ~= '' then
  local rank = redis.call('ZREVRANK', KEYS[1], ARGV[3])
  if rank then start = rank + 1 else start = redis.call('ZCOUNT', KEYS[1], ARGV[2], '+inf') end
end
local wanted = tonumber(ARGV[4]) + 1
local answer = {}
local found = 0
for _, id in ipairs(redis.call('ZREVRANGE', KEYS[1], start, -1)) do
  if found >= wanted then break end
  local fields = redis.call('HGETALL', ARGV[1] .. id)
  if #fields > 0 and (ARGV[5] == '' or redis.call('HGET', ARGV[1] .. id, 'status') == ARGV[5]) then
    found = found + 1
    answer[#answer + 1] = #fields
    for _, value in ipairs(fields) do answer[#answer + 1] = value end
  end
end
return answer
