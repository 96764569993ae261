"""A progress bar for a person watching a batch (``build --rows``), on stderr.

click's bar estimates the remaining time from the first items, so a five-second job
shows "00:42:24" at 0%. This one shows no estimate until it means something: at least
:data:`MIN_FRACTION` of the items and :data:`MIN_SECONDS` of work are done; then it is
the average rate so far applied to what is left.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from types import TracebackType
from typing import TextIO

MIN_FRACTION = 0.05
MIN_SECONDS = 2.0
WIDTH = 30
REDRAW_SECONDS = 0.1  # at most ten redraws a second: a terminal is slow too


def eta(done: int, total: int, elapsed: float) -> float | None:
    """Seconds left, or None while an estimate would be a guess."""
    if total <= 0 or done <= 0 or done >= total:
        return None
    if done / total < MIN_FRACTION or elapsed < MIN_SECONDS:
        return None
    return elapsed / done * (total - done)


def clock_text(seconds: float) -> str:
    whole = int(seconds + 0.5)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours:d}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:d}:{secs:02d}"


class Bar:
    """``with Bar(total, "building", stream) as bar: bar.update(1)``."""

    def __init__(self, total: int, label: str, stream: TextIO, *,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.total = total
        self.label = label
        self.stream = stream
        self.clock = clock
        self.done = 0
        self.start = clock()
        self.drawn_at: float | None = None

    def __enter__(self) -> Bar:
        self.draw(force=True)
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.draw(force=True)
        self.stream.write("\n")
        self.stream.flush()

    def update(self, count: int) -> None:
        self.done = min(self.total, self.done + count)
        self.draw()

    def line(self) -> str:
        fraction = self.done / self.total if self.total else 1.0
        filled = int(WIDTH * fraction)
        bar = "#" * filled + "-" * (WIDTH - filled)
        text = f"{self.label} [{bar}] {self.done}/{self.total} {fraction:4.0%}"
        left = eta(self.done, self.total, self.clock() - self.start)
        if left is not None:
            text += f"  {clock_text(left)} left"
        return text

    def draw(self, *, force: bool = False) -> None:
        now = self.clock()
        if not force and self.drawn_at is not None and now - self.drawn_at < REDRAW_SECONDS:
            return
        self.drawn_at = now
        # \r and clear to the end of the line: the line only ever grows or stays
        self.stream.write("\r" + self.line() + "\x1b[K")
        self.stream.flush()
