-- Settles a claimed member of the due index: if its score is still the one its claim gave it, it is due again at
-- next, or leaves the index (next ''); a schedule made since the claim (another score) wins and stays.
-- KEYS[1] the due partition (sorted set)   ARGV[1] member   ARGV[2] the claimed score   ARGV[3] next ('' = done)
-- Answers: {'settled'} | {'rescheduled'} (a newer schedule kept)
-- Signature, in order:
-- KEYS: due
-- ARGV: member claimedScore next
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not score or tonumber(score) ~= tonumber(ARGV[2]) then return {'rescheduled'} end
if ARGV[3] == '' then
  redis.call('ZREM', KEYS[1], ARGV[1])
else
  redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
end
return {'settled'}
