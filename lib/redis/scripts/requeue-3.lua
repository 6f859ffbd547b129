--[[
  Give every order of a worker's processing list back to the queue, at the taking end and
  in their order, so they are taken next: the list of a worker whose heartbeat has expired, or
  the unstored batch of a worker that is closing. Orders already stored are skipped by the
  primary key when they are stored again.

  KEYS[1] processing  LIST the worker's orders in hand
  KEYS[2] queue       LIST of order JSON (taken from the right)
  KEYS[3] consumers   SET of workers that may hold a processing list of this sale
  ARGV[1] workerId    the processing list's owner

  Returns the number of orders requeued.
]]
local n = 0
while redis.call('LMOVE', KEYS[1], KEYS[2], 'RIGHT', 'RIGHT') do n = n + 1 end
redis.call('SREM', KEYS[3], ARGV[1])
return n
