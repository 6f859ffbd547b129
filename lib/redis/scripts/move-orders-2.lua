--[[
  Move the given orders from one list of a sale to another, each at most once: a worker's
  processing list -> the dead letters (an order that cannot be stored), or the dead letters
  -> the queue's taking end (the sync, once PostgreSQL has the sale row they lacked).

  KEYS[1] from   LIST holding the orders
  KEYS[2] to     LIST to RPUSH them onto
  ARGV[1..n]     the orders' JSON, exactly as stored in KEYS[1]

  Returns the number of orders moved (an order no longer in KEYS[1] is skipped).
]]
local n = 0
for i = 1, #ARGV do
  if redis.call('LREM', KEYS[1], 1, ARGV[i]) > 0 then
    redis.call('RPUSH', KEYS[2], ARGV[i])
    n = n + 1
  end
end
return n
