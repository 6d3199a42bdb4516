-- Appends one entry to a household's audit trail and trims it: about the newest `keep` entries (MAXLEN ~), and none
-- older than `retentionMillis` before the new entry (MINID, exact; stream ids carry Redis' own time).
-- KEYS[1] the household's audit trail (stream)   ARGV[1] keep   ARGV[2] retentionMillis   ARGV[3...] field, value, ...
-- Answers: {id} (the new entry's stream id)
-- Signature, in order:
-- KEYS: audit
-- ARGV: keep retentionMillis fields...
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', unpack(ARGV, 3))
local millis = tonumber(string.match(id, '^(%d+)-'))
local oldest = millis - tonumber(ARGV[2])
if oldest > 0 then redis.call('XTRIM', KEYS[1], 'MINID', oldest) end
return {id}
