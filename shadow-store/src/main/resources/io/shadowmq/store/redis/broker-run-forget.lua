-- A reaper is done with a broker run: drops the run's set of things and its own claim - unless the run took its
-- lease again meanwhile (a paused broker came back), whose things stay tagged.
-- KEYS[1] the run's lease   KEYS[2] the run's things   KEYS[3] the run's reaping claim (one slot)
-- ARGV[1] the reaper's id   ARGV[2] '1' to ignore the lease (as in broker-run-claim.lua)
-- Answers: {'forgotten'} (the caller then removes the run from the set of runs) | {'alive'}
-- Signature, in order:
-- KEYS: lease things reaping
-- ARGV: reaper ignoreLease
local mine = redis.call('GET', KEYS[3]) == ARGV[1]
if mine then redis.call('DEL', KEYS[3]) end
if ARGV[2] ~= '1' and redis.call('EXISTS', KEYS[1]) == 1 then return {'alive'} end
redis.call('DEL', KEYS[2])
if ARGV[2] == '1' then redis.call('DEL', KEYS[1]) end
return {'forgotten'}
