-- Creates a thing unless one with this id exists.
-- KEYS[1] thing hash   ARGV: type, owner, createdAt, secretHash
-- Answers: {'created'} | {'exists'}
-- Signature, in order:
-- KEYS: thing
-- ARGV: type owner createdAt secretHash
if redis.call('EXISTS', KEYS[1]) == 1 then return {'exists'} end
redis.call('HSET', KEYS[1], 'type', ARGV[1], 'owner', ARGV[2], 'createdAt', ARGV[3], 'secretHash', ARGV[4])
return {'created'}
