-- A broker node's inbox and its lease: makes the inbox stream if it is missing and (re)sets its TTL. The node runs
-- this every third of the TTL; a node that dies stops, its inbox expires, and writers (XADD NOMKSTREAM) stop routing
-- changes to it and drop it from the watchers sets they find it in.
-- KEYS[1] the node's inbox stream   ARGV[1] TTL in ms
-- Answers: {1} when the inbox was made now (the node's first run, or it expired: the node was dropped meanwhile and
--          must watch its things again) | {0}
-- Signature, in order (a name ending in ? is passed only on standalone and Sentinel Redis; ... is a list):
-- KEYS: inbox
-- ARGV: ttlMillis
local made = 0
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('XGROUP', 'CREATE', KEYS[1], 'node', '$', 'MKSTREAM')
  made = 1
end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return {made}
