"""Several counters in one round trip: a pledge counts against two limits of the pledge and
the mail guard's two (all four in one script, each only for an address new to its client this
hour), which the `limits` library would send to Redis one by one.

The counters are the library's own (its keys, its fixed windows: a key expires a window after
its first hit), so the library's test, `clear` and window statistics see the same numbers. On
Redis (not a cluster, whose keys may live on different nodes) one Lua script counts them all;
anywhere else (the per-process memory, the tests' storage) the library counts them in turn.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from limits import RateLimitItem
from limits.storage import RedisClusterStorage, RedisStorage
from limits.strategies import FixedWindowRateLimiter

Hit = tuple[RateLimitItem, str, str]  # the limit, its name, who is counted

# Count one hit on every key (each expiring a window after its first hit); the new counts.
HIT_ALL = """
local counts = {}
for i, key in ipairs(KEYS) do
  local count = redis.call('incrby', key, 1)
  if count == 1 then redis.call('expire', key, ARGV[i]) end
  counts[i] = count
end
return counts
"""

# Count one hit on the first key; on the others too if that was its first hit in its window,
# else only read them (as one more hit would make them). ARGV are the keys' expiries. Every count.
HIT_IF_NEW = """
local first = redis.call('incrby', KEYS[1], 1)
if first == 1 then redis.call('expire', KEYS[1], ARGV[1]) end
local counts = {first}
for i = 2, #KEYS do
  local count
  if first == 1 then
    count = redis.call('incrby', KEYS[i], 1)
    if count == 1 then redis.call('expire', KEYS[i], ARGV[i]) end
  else
    count = tonumber(redis.call('get', KEYS[i]) or '0') + 1
  end
  counts[i] = count
end
return counts
"""


def hit_all(limiter: FixedWindowRateLimiter, hits: Sequence[Hit]) -> list[bool]:
    """Count one hit of each; whether each is within its limit."""
    redis = _redis(limiter)
    if redis is None:
        return [limiter.hit(item, name, key) for item, name, key in hits]
    counts = _run(redis, HIT_ALL, hits)
    return [count <= item.amount for count, (item, _, _) in zip(counts, hits, strict=True)]


def hit_if_new(limiter: FixedWindowRateLimiter, first: Hit, then: Sequence[Hit]) -> list[bool]:
    """Count *first*; count *then* too if *first* was new in its window, else only test them.
    Whether each is within its limit, *first* first."""
    redis = _redis(limiter)
    if redis is None:
        new = limiter.hit(*first)
        return [new, *(limiter.hit(*hit) if new else limiter.test(*hit) for hit in then)]
    hits = [first, *then]
    counts = _run(redis, HIT_IF_NEW, hits)
    return [count <= item.amount for count, (item, _, _) in zip(counts, hits, strict=True)]


def _redis(limiter: FixedWindowRateLimiter) -> RedisStorage | None:
    storage = limiter.storage
    if isinstance(storage, RedisStorage) and not isinstance(storage, RedisClusterStorage):
        return storage
    return None


def _run(storage: RedisStorage, source: str, hits: Sequence[Hit]) -> list[int]:
    keys = [storage.prefixed_key(item.key_for(name, key)) for item, name, key in hits]
    expiries = [item.get_expiry() for item, _, _ in hits]
    script = _scripts(storage).get(source)
    if script is None:
        script = _scripts(storage)[source] = storage.get_connection().register_script(
            source.encode()
        )
    return [int(count) for count in script(keys=keys, args=expiries)]


def _scripts(storage: RedisStorage) -> dict[str, Any]:
    """The scripts registered on this storage's connection (EVALSHA, loaded again if Redis
    forgot them)."""
    found: dict[str, Any] | None = getattr(storage, "_campaign_scripts", None)
    if found is None:
        found = {}
        storage._campaign_scripts = found  # type: ignore[attr-defined]
    return found
