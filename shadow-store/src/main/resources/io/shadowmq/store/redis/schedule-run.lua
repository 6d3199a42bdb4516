-- Records a run of a schedule (newest first, the last `keep` kept), unless the schedule was deleted meanwhile.
-- KEYS[1] the schedule (hash)   KEYS[2] its runs (list)   ARGV[1] the run (JSON)   ARGV[2] how many runs to keep
-- Answers: {'recorded'} | {'gone'}
-- Signature, in order:
-- KEYS: schedule runs
-- ARGV: run keep
if redis.call('EXISTS', KEYS[1]) == 0 then return {'gone'} end
redis.call('LPUSH', KEYS[2], ARGV[1])
redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[2]) - 1)
return {'recorded'}
