-- A reaper claims a dead broker run, so that one reaper at a time ends its sessions (the per-thing step is safe to
-- repeat anyway: presence-run-ended.lua). Called again by the claim holder before each batch: it extends the claim
-- and tells the reaper to stop when the run took its lease again.
-- KEYS[1] the run's lease   KEYS[2] the run's reaping claim (same slot)
-- ARGV[1] the reaper's id   ARGV[2] claim TTL (ms)   ARGV[3] '1' to ignore the lease (the run is known to be over:
-- an earlier run of the reaper's own node, or the reaper's own run stopping)
-- Answers: {'claimed'} | {'alive'} the lease is held | {'taken'} another reaper has it
-- Signature, in order:
-- KEYS: lease reaping
-- ARGV: reaper claimTtlMillis ignoreLease
if ARGV[3] ~= '1' and redis.call('EXISTS', KEYS[1]) == 1 then return {'alive'} end
if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return {'claimed'} end
if redis.call('GET', KEYS[2]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[2], ARGV[2])
  return {'claimed'}
end
return {'taken'}
