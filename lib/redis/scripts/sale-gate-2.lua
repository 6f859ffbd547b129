#!lua flags=no-writes
--[[
  The gate's pre-check, asked of a replica before the reserve script runs on the primary:
  does the sale refuse everyone right now (not started, paused, ended, sold out)? The same
  state as the reserve script's gate (includes/saleState.lua). Read-only (the no-writes flag
  above): runs on a replica, also while writes are paused. A replica behind the primary sees
  fewer bookings, so it can only let extra requests through, and the reserve script refuses
  those.

  KEYS[1] meta   HASH flag, startsAt, endsAt (ms; endsAt 0 = none)
  KEYS[2] stock  HASH Total, Booked (units)

  Returns
    {}                               the sale is not loaded here (the primary decides)
    {state, unitsLeft, msUntilStart}
      state is 'scheduled', 'live', 'paused', 'sold_out' or 'ended'; unitsLeft is
      Total - Booked (never below 0); msUntilStart is startsAt - now for an armed sale that
      has not started, -1 otherwise (an unarmed sale opens only by an admin).
]]
--- @include "saleState"

local meta = redis.call('HMGET', KEYS[1], 'flag', 'startsAt', 'endsAt')
if not meta[1] then return {} end
local stock = redis.call('HMGET', KEYS[2], 'Total', 'Booked')
local total, booked = tonumber(stock[1]) or 0, tonumber(stock[2]) or 0
local startsAt = tonumber(meta[2])
local now = redisNowMs()
local state = saleState(meta[1], startsAt, tonumber(meta[3]), total, booked, now)
local untilStart = -1
if state == 'scheduled' and meta[1] == 'armed' then untilStart = startsAt - now end
return {state, math.max(0, total - booked), untilStart}
