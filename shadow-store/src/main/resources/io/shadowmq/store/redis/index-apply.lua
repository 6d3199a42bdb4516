-- Makes the search index hold a thing's entries, or takes the thing out of it: after a commit on a Redis Cluster
-- (where the index lives in another slot than the thing), and at provisioning, shadow delete and deprovisioning
-- everywhere. The index functions are search-index.lua's, loaded before this script.
-- KEYS[1] the index's record hash (names the index's slot; the other index keys share its hash tag)
-- ARGV[1] index key prefix   ARGV[2] thing id   ARGV[3] version   ARGV[4] entries JSON ('' = remove the thing)
-- Answers: {1} applied | {0} skipped (the index holds a newer version, or nothing to remove)
-- Signature, in order:
-- KEYS: record
-- ARGV: prefix thingId version entries
if ARGV[4] == '' then return {index_remove(ARGV[1], ARGV[2])} end
return {index_apply(ARGV[1], ARGV[2], ARGV[3], ARGV[4])}
