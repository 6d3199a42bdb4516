-- The platform record: the settings every broker and REST service of one installation must share, as the first
-- node that reached this Redis wrote them, and what the latest node to start loaded where a difference is only
-- worth a warning (thing models: rolling out new ones is legitimate).
-- The must-agree fields (recordedAt, pepperCheck, feedPartitions) are each written only where still missing, so the
-- first node's values stay (a must-agree field a newer version adds is recorded by the first node that knows it);
-- thingModels is replaced by every node.
-- Answers: {how many must-agree fields it wrote, recorded recordedAt, recorded pepperCheck, recorded feedPartitions,
--           previous thingModels or false, '1' when this Redis server runs in cluster mode else '0'}
-- One key: valid on a Redis Cluster, where the script runs on the node that holds it.
-- Signature, in order:
-- KEYS: record
-- ARGV: recordedAt pepperCheck feedPartitions thingModels
local answer = {0}
local function agree(field, value)
  answer[1] = answer[1] + redis.call('HSETNX', KEYS[1], field, value)
  answer[#answer + 1] = redis.call('HGET', KEYS[1], field)
end
agree('recordedAt', ARGV[1])
agree('pepperCheck', ARGV[2])
agree('feedPartitions', ARGV[3])
answer[#answer + 1] = redis.call('HGET', KEYS[1], 'thingModels') or false -- nil would end the table here
redis.call('HSET', KEYS[1], 'thingModels', ARGV[4])
answer[#answer + 1] = string.match(redis.call('INFO', 'cluster'), 'cluster_enabled:(%d)') or '0'
return answer
