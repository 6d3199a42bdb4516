-- One step of a search: the things the index says may match a plan, in sort order after a position. The plan is a
-- superset of the filter (SearchIndex.java; docs/search.md): the caller checks every candidate against the filter
-- itself. The index keys are search-index.lua's, all under one hash tag.
-- KEYS[1] the index's ids (every indexed thing; names the index's slot)
-- ARGV[1] index key prefix   ARGV[2] numeric path to sort by ('' = thingId)   ARGV[3] '1' ascending, '0' descending
-- ARGV[4] position to continue after ('' = from the start)   ARGV[5] candidates wanted
-- ARGV[6] things to look at at most, walking   ARGV[7] largest candidate set built whole and sorted (2147483647: every
-- set is, never walked)
-- ARGV[8..] the plan, prefix notation: all | and n .. | or n .. | num path min max | val path token | has path | id x
-- Positions: 'i <id>' (thingId order), 'v <score> <id>' (a thing with a sort value), 'm <id>' (one without).
-- Answers: {more ('1'/'0'), position of the last thing looked at ('' = none), candidate, its position, ...}
-- Signature, in order (a name ending in ? is passed only on standalone and Sentinel Redis; ... is a list):
-- KEYS: ids
-- ARGV: prefix sortPath ascending after want walkBudget materializeMax plan...
local P = ARGV[1]
local sort_key = nil
if ARGV[2] ~= '' then sort_key = P .. 'n:' .. ARGV[2] end
local asc = ARGV[3] == '1'
local want = tonumber(ARGV[5])
local budget = tonumber(ARGV[6])
local materialize_max = tonumber(ARGV[7])
local ids_key = KEYS[1]

local pos = 8
local function bound(text)
  if text == '-inf' then return -math.huge, false end
  if text == '+inf' then return math.huge, false end
  if string.sub(text, 1, 1) == '(' then return tonumber(string.sub(text, 2)), true end
  return tonumber(text), false
end
local function parse()
  local op = ARGV[pos]
  pos = pos + 1
  if op == 'all' then return {op = 'all'} end
  if op == 'and' or op == 'or' then
    local n = tonumber(ARGV[pos])
    pos = pos + 1
    local kids = {}
    for i = 1, n do kids[i] = parse() end
    return {op = op, kids = kids}
  end
  if op == 'num' then
    local node = {op = 'num', key = P .. 'n:' .. ARGV[pos], min = ARGV[pos + 1], max = ARGV[pos + 2]}
    node.lo, node.lox = bound(node.min)
    node.hi, node.hix = bound(node.max)
    pos = pos + 3
    return node
  end
  if op == 'val' then
    local node = {op = 'set', key = P .. 'v:' .. ARGV[pos] .. '=' .. ARGV[pos + 1]}
    pos = pos + 2
    return node
  end
  if op == 'has' then
    local node = {op = 'set', key = P .. 'x:' .. ARGV[pos]}
    pos = pos + 1
    return node
  end
  if op == 'id' then
    local node = {op = 'id', id = ARGV[pos]}
    pos = pos + 1
    return node
  end
  error('search plan: unknown operation ' .. tostring(op))
end
local root = parse()

local total = redis.call('ZCARD', ids_key)
local function est(node)
  if node.est then return node.est end
  local n
  if node.op == 'all' then n = total + 1
  elseif node.op == 'num' then n = redis.call('ZCOUNT', node.key, node.min, node.max)
  elseif node.op == 'set' then n = redis.call('ZCARD', node.key)
  elseif node.op == 'id' then n = 1
  elseif node.op == 'and' then
    n = total + 1
    for _, kid in ipairs(node.kids) do n = math.min(n, est(kid)) end
  else
    n = 0
    for _, kid in ipairs(node.kids) do n = math.min(total + 1, n + est(kid)) end
  end
  node.est = n
  return n
end

local function test(node, id)
  if node.op == 'all' then return true end
  if node.op == 'num' then
    local s = redis.call('ZSCORE', node.key, id)
    if not s then return false end
    s = tonumber(s)
    if s < node.lo or (node.lox and s == node.lo) then return false end
    if s > node.hi or (node.hix and s == node.hi) then return false end
    return true
  end
  if node.op == 'set' then return redis.call('ZSCORE', node.key, id) ~= false end
  if node.op == 'id' then return id == node.id end
  if node.op == 'and' then
    for _, kid in ipairs(node.kids) do if not test(kid, id) then return false end end
    return true
  end
  for _, kid in ipairs(node.kids) do if test(kid, id) then return true end end
  return false
end

-- The things of a node whose estimate is small (never 'all').
local function gen(node)
  if node.op == 'num' then return redis.call('ZRANGEBYSCORE', node.key, node.min, node.max) end
  if node.op == 'set' then return redis.call('ZRANGE', node.key, 0, -1) end
  if node.op == 'id' then
    if redis.call('ZSCORE', ids_key, node.id) then return {node.id} end
    return {}
  end
  if node.op == 'and' then
    local driver = nil
    for _, kid in ipairs(node.kids) do
      if kid.op ~= 'all' and (driver == nil or est(kid) < est(driver)) then driver = kid end
    end
    local out = {}
    for _, id in ipairs(gen(driver)) do
      local ok = true
      for _, kid in ipairs(node.kids) do
        if kid ~= driver and not test(kid, id) then ok = false break end
      end
      if ok then out[#out + 1] = id end
    end
    return out
  end
  local seen, out = {}, {}
  for _, kid in ipairs(node.kids) do
    for _, id in ipairs(gen(kid)) do
      if not seen[id] then seen[id] = true out[#out + 1] = id end
    end
  end
  return out
end

-- Sort order: things with a sort value first (by value), then those without; ties by id; all reversed descending.
local function item(id, score)
  if not sort_key then return {m = false, s = 0, id = id} end
  if score == nil then score = redis.call('ZSCORE', sort_key, id) end
  if not score then return {m = true, s = 0, id = id} end
  return {m = false, s = tonumber(score), id = id}
end
local function before(a, b)
  if a.m ~= b.m then return not a.m end
  if a.s ~= b.s then
    if asc then return a.s < b.s end
    return a.s > b.s
  end
  if asc then return a.id < b.id end
  return a.id > b.id
end
local function position(it)
  if not sort_key then return 'i ' .. it.id end
  if it.m then return 'm ' .. it.id end
  return 'v ' .. string.format('%.17g', it.s) .. ' ' .. it.id
end
local after = nil
if ARGV[4] ~= '' then
  local p = ARGV[4]
  local kind = string.sub(p, 1, 1)
  if kind == 'v' then
    local rest = string.sub(p, 3)
    local space = string.find(rest, ' ', 1, true)
    after = {m = false, s = tonumber(string.sub(rest, 1, space - 1)), id = string.sub(rest, space + 1)}
  else
    after = {m = kind == 'm', s = 0, id = string.sub(p, 3)}
  end
end

local answer = {'0', ''}
local function found(it)
  answer[#answer + 1] = it.id
  answer[#answer + 1] = position(it)
end

-- Built whole when small enough, and when walking would look at more things: a walk finds 'want' matches after about
-- want * total / est things, building costs about est. A household's search (no bound) is always built whole.
local function build_whole()
  if root.op == 'all' or est(root) > materialize_max then return false end
  return materialize_max >= 2147483647 or est(root) * est(root) <= 4 * want * total
end
if build_whole() then
  local items = {}
  for _, id in ipairs(gen(root)) do
    local it = item(id, nil)
    if after == nil or before(after, it) then items[#items + 1] = it end
  end
  table.sort(items, before)
  for i = 1, math.min(want, #items) do found(items[i]) end
  if #items > want then
    answer[1] = '1'
    answer[2] = position(items[want])
  elseif #items > 0 then
    answer[2] = position(items[#items])
  end
  return answer
end

-- Walking: along the sort order from the position, each thing tested, until enough are found or the budget is spent.
local looked, count = 0, 0
local chunk = 256
local function look(it)
  looked = looked + 1
  answer[2] = position(it)
  if test(root, it.id) then
    found(it)
    count = count + 1
  end
  return count >= want or looked >= budget
end
-- Walks the ids in id order (the ascending or descending lex order) from an id, exclusive; with_score: only the
-- things that have no sort value.
local function walk_ids(from_id, without_value)
  local cursor = from_id
  while true do
    local page
    if asc then
      page = redis.call('ZRANGEBYLEX', ids_key, cursor and ('(' .. cursor) or '-', '+', 'LIMIT', 0, chunk)
    else
      page = redis.call('ZREVRANGEBYLEX', ids_key, cursor and ('(' .. cursor) or '+', '-', 'LIMIT', 0, chunk)
    end
    for _, id in ipairs(page) do
      cursor = id
      if not without_value or not redis.call('ZSCORE', sort_key, id) then
        if look({m = without_value, s = 0, id = id}) then return true end
      end
    end
    if #page < chunk then return false end
  end
end

local stopped
if not sort_key then
  stopped = walk_ids(after and after.id or nil, false)
else
  stopped = false
  if after == nil or not after.m then
    -- things with a sort value, by rank from the position's thing (or, when it changed since, from its value)
    local rank = 0
    if after ~= nil then
      local s = redis.call('ZSCORE', sort_key, after.id)
      if s and tonumber(s) == after.s then
        if asc then rank = redis.call('ZRANK', sort_key, after.id) + 1
        else rank = redis.call('ZREVRANK', sort_key, after.id) + 1 end
      elseif asc then
        rank = redis.call('ZCOUNT', sort_key, '-inf', string.format('%.17g', after.s))
      else
        rank = redis.call('ZCOUNT', sort_key, string.format('%.17g', after.s), '+inf')
      end
    end
    while not stopped do
      local page
      if asc then page = redis.call('ZRANGE', sort_key, rank, rank + chunk - 1, 'WITHSCORES')
      else page = redis.call('ZREVRANGE', sort_key, rank, rank + chunk - 1, 'WITHSCORES') end
      for i = 1, #page, 2 do
        if look({m = false, s = tonumber(page[i + 1]), id = page[i]}) then stopped = true break end
      end
      if #page < 2 * chunk then break end
      rank = rank + chunk
    end
    after = nil
  end
  if not stopped then stopped = walk_ids(after and after.id or nil, true) end
end
if stopped then answer[1] = '1' end
return answer
