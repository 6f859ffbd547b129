--[[
  Load or refresh a sale's live copy from PostgreSQL. Booked is only ever raised, to the
  units PostgreSQL has confirmed (every confirmed order was booked, so Booked below that
  means Redis lost writes: a restart from an older snapshot or AOF); Total never drops
  below Booked.

  KEYS[1] meta   HASH flag, startsAt, endsAt, maxPerUser, admitted, details
  KEYS[2] stock  HASH Total, Booked (units)
  ARGV[1] flag: 'off', 'armed', 'paused' or 'ended'
  ARGV[2] startsAt (ms since epoch)
  ARGV[3] endsAt (ms since epoch, 0 = none)
  ARGV[4] maxPerUser (units)
  ARGV[5] Total wanted (units)
  ARGV[6] details JSON shown by the status endpoint
  ARGV[7] units PostgreSQL has confirmed: the least Booked can be
  ARGV[8] version: the row's updatedAt (ms); a row older than the one loaded last is not
          applied (a periodic sync that read PostgreSQL just before an admin's change);
          0 = unversioned, always applied

  Returns {Total, Booked} as stored afterwards.
]]
local stored = tonumber(redis.call('HGET', KEYS[2], 'Booked'))
local booked = math.max(stored or 0, tonumber(ARGV[7]))
if booked ~= stored then redis.call('HSET', KEYS[2], 'Booked', booked) end
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
