-- Claims one occurrence of a schedule, exactly once across every process: the schedule's cursor `after` moves to
-- the occurrence only if it is still before it (occurrences are claimed in order).
-- KEYS[1] the schedule (hash)   ARGV[1] the occurrence (epoch ms)
-- Answers: {'claimed'} | {'done'} (already handled) | {'gone'} (no such schedule)
-- Signature, in order:
-- KEYS: schedule
-- ARGV: occurrence
if redis.call('EXISTS', KEYS[1]) == 0 then return {'gone'} end
local after = tonumber(redis.call('HGET', KEYS[1], 'after') or '-1')
if after >= tonumber(ARGV[1]) then return {'done'} end
redis.call('HSET', KEYS[1], 'after', ARGV[1])
return {'claimed'}
