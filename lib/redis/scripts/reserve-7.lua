--[[
  Reserve stock for one purchase, atomically: replay check, gate, per-user limit, stock
  check, deduct, record the buyer and the answer, queue the order for the worker.
  Deducting and queueing in one script means no crash between them can lose an order.

  KEYS[1] meta         HASH flag, startsAt, endsAt (ms; endsAt 0 = none), maxPerUser, admitted
  KEYS[2] stock        HASH Total, Booked (units)
  KEYS[3] buyers       HASH userId -> units reserved by that shopper
  KEYS[4] userOrders   HASH userId -> comma-separated orderIds
  KEYS[5] orders       HASH orderId -> order JSON (the answer, returned again on a resend;
                       its quantity is what a retry with the same idempotency key must ask for)
  KEYS[6] idempotency  HASH userId:key -> orderId
  KEYS[7] queue        LIST of order JSON for the worker (LPUSH)
  ARGV[1] saleId
  ARGV[2] userId
  ARGV[3] quantity (units, integer >= 1)
  ARGV[4] orderId, minted by the caller: the same orderId again returns the first answer
  ARGV[5] idempotency key, '' for none

  Returns
    {1, orderJSON}       reserved now
    {2, orderJSON}       seen before (same orderId, or same idempotency key and quantity): the
                         first answer, nothing reserved
    {-1}                 not_found: the sale is not loaded
    {-2, msUntilStart}   not_started (msUntilStart -1: not armed, opens only by an admin)
    {-3}                 paused
    {-4}                 ended
    {-5, unitsLeft}      sold_out: fewer units left than asked for
    {-6, unitsAllowed}   limit_reached: units this shopper may still reserve
    {-7, firstQuantity}  idempotency_mismatch: the key's first purchase asked for other units
                         (firstQuantity); nothing reserved
]]
--- @include "saleState"

local saleId, userId, quantity, orderId, idemKey =
  ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4], ARGV[5]
local idemField = userId .. ':' .. idemKey

-- A resend (ioredis replays unanswered commands after a reconnect) or a retried request.
local seen = redis.call('HGET', KEYS[5], orderId)
if not seen and idemKey ~= '' then
  local firstId = redis.call('HGET', KEYS[6], idemField)
  if firstId then seen = redis.call('HGET', KEYS[5], firstId) end
  -- The same key for another quantity is not a retry: answering the first order would tell
  -- the client it got what it did not ask for.
  if seen then
    local firstQuantity = cjson.decode(seen).quantity
    if firstQuantity ~= quantity then return {-7, firstQuantity} end
  end
end
if seen then return {2, seen} end

local meta = redis.call('HMGET', KEYS[1], 'flag', 'startsAt', 'endsAt', 'maxPerUser')
if not meta[1] then return {-1} end
local stock = redis.call('HMGET', KEYS[2], 'Total', 'Booked')
local total, booked = tonumber(stock[1]) or 0, tonumber(stock[2]) or 0
local now = redisNowMs()

-- The gate: refuse what cannot succeed before touching anything.
local state = saleState(meta[1], tonumber(meta[2]), tonumber(meta[3]), total, booked, now)
if state == 'scheduled' then
  return {-2, meta[1] == 'armed' and (tonumber(meta[2]) - now) or -1}
end
if state == 'paused' then return {-3} end
if state == 'ended' then return {-4} end
if state == 'sold_out' then return {-5, 0} end
redis.call('HINCRBY', KEYS[1], 'admitted', 1)

local mine = tonumber(redis.call('HGET', KEYS[3], userId)) or 0
local maxPerUser = tonumber(meta[4])
if mine + quantity > maxPerUser then return {-6, maxPerUser - mine} end
if booked + quantity > total then return {-5, total - booked} end

redis.call('HINCRBY', KEYS[2], 'Booked', quantity)
redis.call('HINCRBY', KEYS[3], userId, quantity)
local previous = redis.call('HGET', KEYS[4], userId)
redis.call('HSET', KEYS[4], userId, previous and (previous .. ',' .. orderId) or orderId)
local order = cjson.encode({
  orderId = orderId, saleId = saleId, userId = userId, quantity = quantity, reservedAt = now,
})
redis.call('HSET', KEYS[5], orderId, order)
if idemKey ~= '' then redis.call('HSET', KEYS[6], idemField, orderId) end
redis.call('LPUSH', KEYS[7], order)
return {1, order}
