#!lua flags=no-writes
--[[
  Read a sale's live figures and its state by Redis's clock. Read-only (the no-writes flag
  above): runs on a replica, also while writes are paused.

  KEYS[1] meta   HASH flag, startsAt, endsAt (ms; endsAt 0 = none), maxPerUser, admitted, details
  KEYS[2] stock  HASH Total, Booked (units)

  Returns
    {}  the sale is not loaded
    {state, total, booked, nowMs, admitted, details}
      state is 'scheduled', 'live', 'paused', 'sold_out' or 'ended'; details is the JSON
      the loader stored (name, price, times...).
]]
--- @include "saleState"

local meta = redis.call('HMGET', KEYS[1], 'flag', 'startsAt', 'endsAt', 'admitted', 'details')
if not meta[1] then return {} end
local stock = redis.call('HMGET', KEYS[2], 'Total', 'Booked')
local total, booked = tonumber(stock[1]) or 0, tonumber(stock[2]) or 0
local now = redisNowMs()
local state = saleState(meta[1], tonumber(meta[2]), tonumber(meta[3]), total, booked, now)
return {state, total, booked, now, tonumber(meta[4]) or 0, meta[5] or '{}'}
