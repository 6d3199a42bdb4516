-- Shared by the scripts that commit a thing's change and announce it themselves (update, command-invoke,
-- command-transition; LuaScript.load(redis, script, "feed-route") puts it before them).
-- announce(watchers, partition, inbox_prefix, inbox_max, feed_max, entry, self): on standalone/Sentinel Redis
-- (partition given) appends the entry to the change-feed partition and to the inbox of every node in the watchers set,
-- in the commit's own step, and answers {'ok', entry id}; on a Cluster (partition nil: it lives in another slot)
-- answers {'ok', '', node...} for the caller to append and route after the commit.
-- self (optional): the committing process's own node. Its inbox is skipped - it hands the change to its own follow
-- itself, saving the append and the read back - and the standalone answer says whether it watches the thing:
-- {'ok', entry id, '1' or '0'}.
-- A node's inbox is named by the node, not passed as a key: which nodes watch is known only here. That is allowed
-- only outside a Cluster, which is why the caller does the appending there. XADD NOMKSTREAM leaves an inbox that
-- expired with its node gone, and the node is dropped from the set.
local function announce(watchers_key, partition, inbox_prefix, inbox_max, feed_max, entry, self)
  local watchers = redis.call('SMEMBERS', watchers_key)
  if not partition then return {'ok', '', unpack(watchers)} end
  local id = redis.call('XADD', partition, 'MAXLEN', '~', feed_max, '*', unpack(entry))
  local self_watches = '0'
  for _, node in ipairs(watchers) do
    if node == self then
      self_watches = '1'
    elseif not redis.call('XADD', inbox_prefix .. node .. '}', 'NOMKSTREAM', 'MAXLEN', '~', inbox_max, '*', unpack(entry)) then
      redis.call('SREM', watchers_key, node)
    end
  end
  if self and self ~= '' then return {'ok', id, self_watches} end
  return {'ok', id}
end
