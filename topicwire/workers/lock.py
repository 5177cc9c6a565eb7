"""One cycle at a time per project, across every worker and scheduler: a
Redis key set only if absent, holding a random token, with an expiry so
that a cycle whose finishing task never ran (its worker gone for good) does
not block the next one for ever."""

from __future__ import annotations

import secrets

from redis import Redis
from redis.exceptions import RedisError

from topicwire.errors import TopicwireError

# delete only our own token: a lock that expired and was taken by the
# next cycle must not be released by the late finisher of the old one
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""


class CycleLock:
    def __init__(self, client: Redis, name: str, *, seconds: int):
        self.client = client
        self.key = f"topicwire:cycle-lock:{name}"
        self.seconds = seconds

    def acquire(self) -> str | None:
        """A token when the lock was free (now ours), else None."""
        token = secrets.token_hex(16)
        try:
            taken = self.client.set(self.key, token, nx=True, ex=self.seconds)
        except RedisError as exc:
            raise TopicwireError(f"cannot take the cycle lock in Redis: {exc}") from None
        return token if taken else None

    def release(self, token: str) -> bool:
        try:
            return bool(self.client.eval(_RELEASE, 1, self.key, token))
        except RedisError as exc:
            raise TopicwireError(f"cannot release the cycle lock in Redis: {exc}") from None

    def holder(self) -> str | None:
        value = self.client.get(self.key)
        return value.decode() if isinstance(value, bytes) else value
