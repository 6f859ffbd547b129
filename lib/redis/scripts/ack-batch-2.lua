--[[
  Acknowledge the batch in hand once PostgreSQL holds it: drop the worker's processing list.
  A worker only takes a batch into an empty list, so the list holds nothing but this batch.

  KEYS[1] processing  LIST this worker's orders in hand
  KEYS[2] consumers   SET of workers that may hold a processing list of this sale
  ARGV[1] workerId

  Returns the number of orders dropped (0 when a sweep had already requeued them).
]]
local n = redis.call('LLEN', KEYS[1])
redis.call('DEL', KEYS[1])
redis.call('SREM', KEYS[2], ARGV[1])
return n
