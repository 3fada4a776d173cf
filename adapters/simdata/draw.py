"""Reproducible randomness, fast enough for a 100 000-ticket desk.

Every generator in the world draws from a ``random.Random`` seeded by a string (string
seeds hash through SHA-512: stable across runs and Python processes, unlike ``hash()``).
The helpers below replace ``rng.choice``/``rng.sample``/``rng.choices`` on the hot path,
whose checks dominate building a large desk; :func:`stable_hash` picks deterministic
"one in n" items without an RNG at all.
"""

from __future__ import annotations

import bisect
import random
from collections.abc import Iterable
from typing import Generic, TypeVar

T = TypeVar("T")


def seeded(*parts: object) -> random.Random:
    """A generator seeded by ``"a:b:c"`` of the parts (e.g. vendor, seed, kind, id)."""
    return random.Random(":".join(str(part) for part in parts))


def pick(rng: random.Random, seq: tuple[T, ...] | list[T]) -> T:
    """rng.choice without its rejection sampling: the hot path of building 100k tickets."""
    return seq[int(rng.random() * len(seq))]


def sample(rng: random.Random, seq: tuple[T, ...], k: int) -> list[T]:
    """k distinct items (rng.sample's ABC checks dominate a 100k-ticket build)."""
    pool = list(seq)
    for i in range(k):
        j = i + int(rng.random() * (len(pool) - i))
        pool[i], pool[j] = pool[j], pool[i]
    return pool[:k]


class Weighted(Generic[T]):
    """A weighted choice with precomputed cumulative weights (rng.choices is slow)."""

    def __init__(self, items: Iterable[T], weights: Iterable[float]) -> None:
        self.items = tuple(items)
        cumulative: list[float] = []
        total = 0.0
        for weight in weights:
            total += weight
            cumulative.append(total)
        self.cumulative = cumulative
        self.total = total

    def pick(self, rng: random.Random) -> T:
        # random() < 1, so the point is below the last cumulative weight (== total).
        return self.items[bisect.bisect_right(self.cumulative, rng.random() * self.total)]


def stable_hash(*parts: int) -> int:
    """A cheap deterministic hash of small integers (independent of PYTHONHASHSEED)."""
    value = 0x9E3779B97F4A7C15
    for part in parts:
        value ^= part & 0xFFFFFFFFFFFFFFFF
        value = (value * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
        value ^= value >> 31
    return value
