-- One page of a thing index, in id order. KEYS[1] index (sorted set, scores 0)
-- ARGV[1] exclusive lower bound ('' = from the start)   ARGV[2] count
-- Signature, in order:
-- KEYS: index
-- ARGV: after count
local from = '-'
if ARGV[1] ~= '' then from = '(' .. ARGV[1] end
return redis.call('ZRANGEBYLEX', KEYS[1], from, '+', 'LIMIT', 0, tonumber(ARGV[2]))
