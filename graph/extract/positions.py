"""Things found in a text, looked up by where they start.

Extraction and relation finding ask, for each mention, which other mentions lie in its sentence,
its name or just before it. Walking the whole list each time is quadratic: a post that names a
place in every sentence of a long paragraph took minutes. `ByStart` answers such questions by
bisection, in the order the things were listed, so that results do not change.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Sequence
from typing import Generic, Protocol, TypeVar, overload


class _Positioned(Protocol):
    @property
    def start(self) -> int: ...


T = TypeVar("T", bound=_Positioned)


class ByStart(Sequence[T], Generic[T]):
    """A sequence of items with a `start` offset, in the order they were added, that also finds the
    items starting within a span without walking them all."""

    def __init__(self, items: Iterable[T] = ()) -> None:
        self._keys: list[tuple[int, int]] = []  # (start, order added), sorted
        self._items: list[T] = []  # in the order added
        for item in items:
            self.add(item)

    def add(self, item: T) -> None:
        key = (item.start, len(self._items))
        self._items.append(item)
        if not self._keys or key > self._keys[-1]:
            self._keys.append(key)  # the common case: added in text order
        else:
            bisect.insort(self._keys, key)

    def within(self, start: int, end: int) -> list[T]:
        """The items that start in [start, end), in the order they were added."""
        lo = bisect.bisect_left(self._keys, (start, -1))
        hi = bisect.bisect_left(self._keys, (end, -1))
        return [self._items[i] for i in sorted(k[1] for k in self._keys[lo:hi])]

    def any_within(self, start: int, end: int) -> bool:
        return bisect.bisect_left(self._keys, (start, -1)) < bisect.bisect_left(self._keys, (end, -1))

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[T]: ...
    def __getitem__(self, index: int | slice) -> T | Sequence[T]:
        return self._items[index]

    def __iter__(self) -> Iterator[T]:
        return iter(self._items)
