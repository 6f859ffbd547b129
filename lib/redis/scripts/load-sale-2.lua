--[[
  Load or refresh a sale's live copy from PostgreSQL. Never touches Booked (except to
  create it when missing) and never sets Total below Booked.

  KEYS[1] meta   HASH flag, startsAt, endsAt, maxPerUser, admitted, details
  KEYS[2] stock  HASH Total, Booked (units)
  ARGV[1] flag: 'off', 'armed', 'paused' or 'ended'
  ARGV[2] startsAt (ms since epoch)
  ARGV[3] endsAt (ms since epoch, 0 = none)
  ARGV[4] maxPerUser (units)
  ARGV[5] Total wanted (units)
  ARGV[6] details JSON shown by the status endpoint
  ARGV[7] Booked to use only when the stock hash is missing (rebuild after Redis lost it)
  ARGV[8] version: the row's updatedAt (ms); a row older than the one loaded last is not
          applied (a periodic sync that read PostgreSQL just before an admin's change);
          0 = unversioned, always applied

  Returns {Total, Booked} as stored afterwards.
]]
local booked = tonumber(redis.call('HGET', KEYS[2], 'Booked'))
if not booked then
  booked = tonumber(ARGV[7])
  redis.call('HSET', KEYS[2], 'Booked', booked)
end
local version = tonumber(ARGV[8]) or 0
local loaded = tonumber(redis.call('HGET', KEYS[1], 'version')) or 0
local current = tonumber(redis.call('HGET', KEYS[2], 'Total'))
if version > 0 and version < loaded and current then return {current, booked} end
if version > 0 then redis.call('HSET', KEYS[1], 'version', version) end
local total = math.max(tonumber(ARGV[5]), booked)
redis.call('HSET', KEYS[2], 'Total', total)
redis.call('HSET', KEYS[1], 'flag', ARGV[1], 'startsAt', ARGV[2], 'endsAt', ARGV[3],
  'maxPerUser', ARGV[4], 'details', ARGV[6])
redis.call('HSETNX', KEYS[1], 'admitted', 0)
return {total, booked}
