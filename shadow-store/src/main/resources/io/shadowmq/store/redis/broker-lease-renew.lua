-- Renews a broker run's liveness lease (or takes it again after it expired).
-- KEYS[1] the run's lease   KEYS[2] the run's reaping claim (same slot: the run is the hash tag)
-- ARGV[1] now (ms, kept as the lease's value)   ARGV[2] lease TTL (ms)
-- Answers: {'kept'} the lease was still held | {'taken'} it had expired: reapers may have ended this run's
-- sessions | {'reaping'} a reaper is ending them right now. Either of the last two tells the broker to show its
-- live sessions connected again (PresenceStore.reasserted).
-- Signature, in order:
-- KEYS: lease reaping
-- ARGV: nowMillis ttlMillis
local held = redis.call('EXISTS', KEYS[1])
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
if redis.call('EXISTS', KEYS[2]) == 1 then return {'reaping'} end
if held == 0 then return {'taken'} end
return {'kept'}
