--[[
  Take up to ARGV[2] orders off a sale's queue into this worker's processing list, atomically:
  a worker that dies holding them leaves them visible there, never gone. While the processing
  list still holds a batch (its store failed, or the reply to an earlier call was lost), that
  batch is returned again and nothing more is taken, so a resent call is harmless.

  KEYS[1] queue       LIST of order JSON (LPUSHed by reserve; taken from the right, oldest first)
  KEYS[2] processing  LIST this worker's orders in hand, not yet stored in PostgreSQL
  KEYS[3] consumers   SET of workers that may hold a processing list of this sale
  ARGV[1] workerId
  ARGV[2] batch size (orders, 1 to 5000)

  Returns the orders in hand, oldest first; an empty array when the queue is empty.
]]
local inHand = redis.call('LRANGE', KEYS[2], 0, -1)
if #inHand > 0 then return inHand end
local taken = redis.call('RPOP', KEYS[1], tonumber(ARGV[2]))
if not taken then return {} end
redis.call('SADD', KEYS[3], ARGV[1])
redis.call('RPUSH', KEYS[2], unpack(taken))
return taken
