-- Adds a grant to its household's grants, unless the household already holds `max` of them: when it does, the
-- expired ones (expiresAt <= now) are dropped first and the count looked at again.
-- KEYS[1] the household's grants (hash)   ARGV[1] the grant id   ARGV[2] the grant (JSON)   ARGV[3] max
-- ARGV[4] now (epoch ms)
-- Answers: {'created'} | {'full'} | {'taken'} (the id exists: the caller draws another)
-- Signature, in order:
-- KEYS: grants
-- ARGV: id grant max now
local max = tonumber(ARGV[3])
if redis.call('HLEN', KEYS[1]) >= max then
  local now = tonumber(ARGV[4])
  local all = redis.call('HGETALL', KEYS[1])
  for i = 1, #all, 2 do
    local ok, grant = pcall(cjson.decode, all[i + 1])
    if ok and type(grant) == 'table' and type(grant.expiresAt) == 'number' and grant.expiresAt <= now then
      redis.call('HDEL', KEYS[1], all[i])
    end
  end
  if redis.call('HLEN', KEYS[1]) >= max then return {'full'} end
end
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return {'taken'} end
return {'created'}
