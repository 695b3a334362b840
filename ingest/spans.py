"""A set of character spans that answers "does [start, end) overlap one of them?" in logarithmic time.

Mention finding, coreference and descriptions each keep the spans already taken, and ask that question for
every candidate: with a list it costs the number of spans each time, which made extraction quadratic in the
length of an article (a 1 MB text took minutes). Spans are kept sorted by start; a query looks only at spans
that start before its end and no more than the longest span's length before its start.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Iterable


class SpanSet:
    """Character spans, with overlap queries in O(log n + k)."""

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        self._spans: list[tuple[int, int]] = sorted(spans)
        self._longest = max((e - s for s, e in self._spans), default=0)

    def add(self, start: int, end: int) -> None:
        insort(self._spans, (start, end))
        self._longest = max(self._longest, end - start)

    def discard_starting(self, start: int) -> None:
        """Drop every span that starts at ``start``."""
        self._spans = [sp for sp in self._spans if sp[0] != start]

    def overlaps(self, start: int, end: int) -> bool:
        lo = bisect_left(self._spans, (start - self._longest, -1))
        hi = bisect_left(self._spans, (end, -1))
        return any(start < e and s < end for s, e in self._spans[lo:hi])

    def __len__(self) -> int:
        return len(self._spans)
