-- Shared by the scripts that keep the search index (update on standalone/Sentinel Redis, index-apply everywhere;
-- LuaScript.load(redis, script, "search-index") puts it before them).
-- The index of all things lives under one hash tag (prefix 'smq:{ix}:', one Cluster slot); see SearchIndex.java:
--   rec            hash thingId -> '<version>|<entries JSON>' (what the index holds of each thing)
--   ids            zset, score 0, every indexed thing
--   n:<path>       zset, score = the number at path
--   v:<path>=<tok> zset, score 0, the things holding that boolean ('b...') or string ('s...') at path
--   x:<path>       zset, score 0, the things holding any boolean or string at path
-- Entries are [path, token, ...] (SearchSchema.indexEntries): token 'n' + number, 'b' + true/false, 's' + string.
local function index_token(prefix, id, path, token, add)
  local kind = string.sub(token, 1, 1)
  if kind == 'n' then
    if add then
      redis.call('ZADD', prefix .. 'n:' .. path, tonumber(string.sub(token, 2)), id)
    else
      redis.call('ZREM', prefix .. 'n:' .. path, id)
    end
  elseif add then
    redis.call('ZADD', prefix .. 'v:' .. path .. '=' .. token, 0, id)
    redis.call('ZADD', prefix .. 'x:' .. path, 0, id)
  else
    redis.call('ZREM', prefix .. 'v:' .. path .. '=' .. token, id)
    redis.call('ZREM', prefix .. 'x:' .. path, id)
  end
end

local function index_entries_of(record)
  local map = {}
  if not record then return map end
  local bar = string.find(record, '|', 1, true)
  local list = cjson.decode(string.sub(record, bar + 1))
  for i = 1, #list, 2 do map[list[i]] = list[i + 1] end
  return map
end

-- Makes the index hold exactly entries_json for thing id at version. Skipped (answer 0) when the index holds a newer
-- version of the thing: on a Cluster this runs after the commit, and two writers' calls may arrive out of order.
-- Only what changed is written: an update that changes no searchable value rewrites the record alone.
local function index_apply(prefix, id, version, entries_json)
  local rec = prefix .. 'rec'
  local record = redis.call('HGET', rec, id)
  if record then
    local held = tonumber(string.sub(record, 1, string.find(record, '|', 1, true) - 1))
    if held > tonumber(version) then return 0 end
    if string.sub(record, string.find(record, '|', 1, true) + 1) == entries_json then
      if held < tonumber(version) then redis.call('HSET', rec, id, version .. '|' .. entries_json) end
      return 1
    end
  end
  local before = index_entries_of(record)
  local after = index_entries_of('|' .. entries_json)
  for path, token in pairs(before) do
    if after[path] ~= token then index_token(prefix, id, path, token, false) end
  end
  for path, token in pairs(after) do
    if before[path] ~= token then index_token(prefix, id, path, token, true) end
  end
  redis.call('HSET', rec, id, version .. '|' .. entries_json)
  if not record then redis.call('ZADD', prefix .. 'ids', 0, id) end
  return 1
end

-- As index_apply, given also what changed since base_version (changes_json: [path, old token or '', new token or '',
-- ...]): when the index holds the thing at base_version, only the changes are written, without reading back and
-- comparing its entries; else (the index missed a change, or never held the thing) the entries are applied whole.
local function index_change(prefix, id, base_version, version, entries_json, changes_json)
  local record = redis.call('HGET', prefix .. 'rec', id)
  if not record or string.sub(record, 1, string.find(record, '|', 1, true) - 1) ~= base_version then
    return index_apply(prefix, id, version, entries_json)
  end
  local changes = cjson.decode(changes_json)
  for i = 1, #changes, 3 do
    if changes[i + 1] ~= '' then index_token(prefix, id, changes[i], changes[i + 1], false) end
    if changes[i + 2] ~= '' then index_token(prefix, id, changes[i], changes[i + 2], true) end
  end
  redis.call('HSET', prefix .. 'rec', id, version .. '|' .. entries_json)
  return 1
end

-- Takes thing id out of the index altogether (deprovisioned).
local function index_remove(prefix, id)
  local rec = prefix .. 'rec'
  local record = redis.call('HGET', rec, id)
  if not record then return 0 end
  for path, token in pairs(index_entries_of(record)) do index_token(prefix, id, path, token, false) end
  redis.call('HDEL', rec, id)
  redis.call('ZREM', prefix .. 'ids', id)
  return 1
end
