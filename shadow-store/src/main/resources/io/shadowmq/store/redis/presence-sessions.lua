-- Shared by the presence scripts (LuaScript.load(redis, script, "presence-sessions") puts it before them).
-- A session 'node/run/counter' splits into its run ('node/run') and its counter; any other session into nil, nil:
-- such sessions are not ordered.
local function run_and_counter(session)
  local run, counter = string.match(session, '^(.*)/(%d+)$')
  if run then return run, tonumber(counter) end
  return nil, nil
end
