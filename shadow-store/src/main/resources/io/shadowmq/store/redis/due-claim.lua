-- Claims what is due in one partition of the due index: every member whose score (when it is due, epoch ms) is at
-- or before now, up to max of them, its score moved to until (now + lease) in the same step. A claimer that dies
-- before it settles leaves the member to be claimed again once the lease has passed; no two claimers get one member
-- within a lease.
-- KEYS[1] the due partition (sorted set)   ARGV[1] now   ARGV[2] max members   ARGV[3] until (the claimed score)
-- Answers: {member...} (claimed, each now scored until)
-- Signature, in order:
-- KEYS: due
-- ARGV: now max until
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, member in ipairs(due) do
  redis.call('ZADD', KEYS[1], 'XX', ARGV[3], member)
end
return due
