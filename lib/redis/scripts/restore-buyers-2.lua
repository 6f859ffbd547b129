--[[
  Rebuild a sale's units per shopper after Redis lost the sale, from PostgreSQL's confirmed
  orders. Only while the stock hash is still missing (the sync loads the sale right after),
  so it never overwrites what purchases recorded since. Safe to call in chunks.

  KEYS[1] stock   HASH Total, Booked (units)
  KEYS[2] buyers  HASH userId -> units reserved by that shopper
  ARGV    userId, units, userId, units, ... (confirmed units per shopper)

  Returns 1 when written, 0 when the stock hash exists (nothing written).
]]
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
for i = 1, #ARGV, 2 do
  redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1])
end
return 1
