--[[
  One consistent look at a sale for reconcile and the admin stats: Booked, the clock, and the
  orders Redis still holds (queue, every worker's processing list, dead letters).

  KEYS[1] stock       HASH Total, Booked (units)
  KEYS[2] queue       LIST of order JSON waiting for a worker
  KEYS[3] consumers   SET of workers that may hold a processing list; each list's key is
                      ARGV[1] .. workerId (same hash tag, so the script stays in one slot)
  KEYS[4] dead        LIST of order JSON that could not be stored
  ARGV[1] the processing key with an empty worker id
  ARGV[2] most orders to return (-1: all); with more than that, only the counts come back

  Returns {nowMs, booked, queued, processing, dead, orderJSON...}
    booked is -1 when the sale is not loaded; queued, processing and dead count orders;
    the order JSON follows only when queued + processing + dead <= ARGV[2] (or ARGV[2] is -1).
]]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local booked = tonumber(redis.call('HGET', KEYS[1], 'Booked')) or -1
local lists = { KEYS[2] }
for _, worker in ipairs(redis.call('SMEMBERS', KEYS[3])) do lists[#lists + 1] = ARGV[1] .. worker end
local queued = redis.call('LLEN', KEYS[2])
local processing = 0
for i = 2, #lists do processing = processing + redis.call('LLEN', lists[i]) end
local dead = redis.call('LLEN', KEYS[4])
local reply = { now, booked, queued, processing, dead }
local limit = tonumber(ARGV[2])
if limit < 0 or queued + processing + dead <= limit then
  lists[#lists + 1] = KEYS[4]
  for _, list in ipairs(lists) do
    for _, order in ipairs(redis.call('LRANGE', list, 0, -1)) do reply[#reply + 1] = order end
  end
end
return reply
