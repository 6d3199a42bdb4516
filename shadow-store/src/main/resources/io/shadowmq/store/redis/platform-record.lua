-- The platform record: the settings every broker and REST service of one installation must share, as the first
-- node that reached this Redis wrote them, and what the latest node to start loaded where a difference is only
-- worth a warning (thing models: rolling out new ones is legitimate).
-- ARGV[1] = n, then n field/value pairs that must agree: each is written only where still missing (so the first
-- node's values stay, and a field a newer version adds is recorded by the first node that knows it); then field/value
-- pairs that are replaced by every node. Answers how many must-agree fields it wrote, the recorded value of each
-- must-agree field in order, the previous value of each replaced field in order (false if none), and whether this
-- Redis server runs in cluster mode ('1' or '0').
-- One key: valid on a Redis Cluster, where the script runs on the node that holds it.
-- KEYS[1] platform record hash
local agreeing = tonumber(ARGV[1])
local answer = {0}
for i = 2, 2 * agreeing, 2 do
  answer[1] = answer[1] + redis.call('HSETNX', KEYS[1], ARGV[i], ARGV[i + 1])
  answer[#answer + 1] = redis.call('HGET', KEYS[1], ARGV[i])
end
for i = 2 * agreeing + 2, #ARGV, 2 do
  answer[#answer + 1] = redis.call('HGET', KEYS[1], ARGV[i]) or false -- nil would end the table here
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
end
answer[#answer + 1] = string.match(redis.call('INFO', 'cluster'), 'cluster_enabled:(%d)') or '0'
return answer
