-- The platform record: the settings every broker and REST service of one installation must share, as the first
-- node that reached this Redis wrote them. Writes each field that is still missing (so the first node's values
-- stay, and a field a newer version adds is recorded by the first node that knows it), and answers how many fields
-- it wrote, the recorded value of each field asked, in order, and whether this Redis server runs in cluster mode
-- ('1' or '0').
-- One key: valid on a Redis Cluster, where the script runs on the node that holds it.
-- KEYS[1] platform record hash   ARGV: field, value, field, value, ...
local recorded = {0}
for i = 1, #ARGV, 2 do
  recorded[1] = recorded[1] + redis.call('HSETNX', KEYS[1], ARGV[i], ARGV[i + 1])
  recorded[#recorded + 1] = redis.call('HGET', KEYS[1], ARGV[i])
end
recorded[#recorded + 1] = string.match(redis.call('INFO', 'cluster'), 'cluster_enabled:(%d)') or '0'
return recorded
