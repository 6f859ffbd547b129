--[[
  Fragment: the sale's state from its stored fields and Redis's clock.
  saleState(flag, startsAtMs, endsAtMs, total, booked, nowMs) -> one of
  'ended', 'paused', 'scheduled', 'sold_out', 'live'
  flag: 'off' (never opens by itself), 'armed' (opens at startsAt), 'paused', 'ended';
  endsAt 0 means no end.
]]
local function saleState(flag, startsAt, endsAt, total, booked, now)
  if flag == 'ended' or (endsAt > 0 and now >= endsAt) then return 'ended' end
  if flag == 'paused' then return 'paused' end
  if flag ~= 'armed' or now < startsAt then return 'scheduled' end
  if booked >= total then return 'sold_out' end
  return 'live'
end

local function redisNowMs()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
