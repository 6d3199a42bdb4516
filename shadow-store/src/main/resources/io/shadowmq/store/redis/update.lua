-- Compare-and-set of one shadow document: the merge itself is computed in Java (thing-model's ShadowAlgebra, the
-- one implementation of the rules); this script only commits it if nobody changed the shadow in between.
-- KEYS[1] shadow hash {doc, version}   KEYS[2] thing hash   KEYS[3] clientToken key (per requester)   KEYS[4] writer lease
-- KEYS[5] the set of broker nodes watching the thing   KEYS[6] the thing's history stream (all six share the thing's
-- hash tag)
-- KEYS[7], optional: the change-feed partition to announce the change on (given on standalone/Sentinel Redis only:
-- on a Cluster it lives in another slot and the caller appends after)
-- ARGV[1] version the change was computed from   ARGV[2] '1' if a document existed then, else '0'
-- ARGV[3] thing type the change was validated against   ARGV[4] new document   ARGV[5] new version
-- ARGV[6] clientToken window in ms   ARGV[7] record replayed to a repeat of this request ('' = no clientToken)
-- ARGV[8] writer id (one per process)   ARGV[9] lease ms to take if this commit is stale ('0' = none)
-- ARGV[10] the owner the change was computed for   ARGV[11] the request's fingerprint (64 hex digits, '' = none)
-- ARGV[12] the committing process's node ('' = none: it watches no things)
-- ARGV[13] the history entry to append ('' = none: no reported value changed)   ARGV[14] history MAXLEN
-- ARGV[15] history MINID (~: entries older are trimmed)
-- ARGV[16] search index key prefix   ARGV[17] the thing's id   ARGV[18] its index entries ('' = the caller indexes
-- after the commit: on a Cluster the index lives in another slot)   ARGV[19] what changed in them since ARGV[1]
-- ARGV[20] node inbox key prefix   ARGV[21] inbox MAXLEN (~)   with KEYS[7]: ARGV[22] feed MAXLEN (~) and
-- ARGV[23..] the feed entry's fields (FeedEntryInScript)
-- Answers: {'ok', feed entry id} and, with ARGV[12], '1' if that node watches the thing, else '0' (appended here, to
--        the partition and to the inbox of every watching node but the committing one, which hands the change to its
--        follow itself)
--        | {'ok', '', node...} (no KEYS[7]: the caller appends, to the partition and to these nodes' inboxes)
--        | {'claimed', fingerprint .. record} (the requester already used this
--        clientToken: the caller replays the record to the same request, refuses a different one)
--        | {'nothing'} (thing unknown) | {'leased'} (another writer has its turn)
--        | {'stale', type, owner, version, doc or ''} (recompute from this fresh state, saving a read)
-- The clientToken key holds the request's fingerprint followed by its record.
--
-- The appending and routing is feed-route.lua's announce, the indexing search-index.lua's index_apply, both loaded
-- before this script.
--
-- The lease gives a writer that keeps losing the race one guaranteed turn: without it, a process streaming
-- updates of one thing back to back could starve another process's writer forever.
-- Signature, in order (a name ending in ? is passed only on standalone and Sentinel Redis; ... is a list):
-- KEYS: shadow thing clientToken writerLease watchers history partition?
-- ARGV: baseVersion baseExists type document version tokenWindowMillis replayRecord writerId leaseMillis owner
-- ARGV: fingerprint selfNode historyEntry historyMaxLength historyMinId indexPrefix thingId indexEntries indexChanges
-- ARGV: inboxPrefix inboxMaxLength feedMaxLength? entry...?
if ARGV[7] ~= '' then
  local prior = redis.call('GET', KEYS[3])
  if prior then return {'claimed', prior} end
end
local lease = redis.call('GET', KEYS[4])
if lease and lease ~= ARGV[8] then return {'leased'} end
local thing = redis.call('HMGET', KEYS[2], 'type', 'owner')
if not thing[1] then return {'nothing'} end
local fields = redis.call('HMGET', KEYS[1], 'version', 'doc')
local version = fields[1] or '0'
local exists = '0'
if fields[2] then exists = '1' end
if thing[1] ~= ARGV[3] or thing[2] ~= ARGV[10] or version ~= ARGV[1] or exists ~= ARGV[2] then
  if ARGV[9] ~= '0' then redis.call('SET', KEYS[4], ARGV[8], 'PX', ARGV[9]) end
  return {'stale', thing[1], thing[2], version, fields[2] or ''}
end
redis.call('HSET', KEYS[1], 'doc', ARGV[4], 'version', ARGV[5])
if ARGV[7] ~= '' then redis.call('SET', KEYS[3], ARGV[11] .. ARGV[7], 'PX', ARGV[6]) end
if lease then redis.call('DEL', KEYS[4]) end
if ARGV[13] ~= '' then
  redis.call('XADD', KEYS[6], 'MAXLEN', ARGV[14], '*', 'e', ARGV[13])
  redis.call('XTRIM', KEYS[6], 'MINID', '~', ARGV[15])
end
if ARGV[18] ~= '' then index_change(ARGV[16], ARGV[17], ARGV[1], ARGV[5], ARGV[18], ARGV[19]) end
return announce(KEYS[5], KEYS[7], ARGV[20], ARGV[21], ARGV[22], {unpack(ARGV, 23)}, ARGV[12])
