"""The progress bar of ``build --rows``: no time estimate until one means something (5%
of the items and two seconds of work), then the average rate so far."""

from __future__ import annotations

import io

from profilesmith.cli.progress import Bar, clock_text, eta


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_no_estimate_until_it_means_something() -> None:
    assert eta(0, 1000, 0.0) is None  # the nonsense click shows: 00:42:24 at 0%
    assert eta(1, 1000, 0.2) is None
    assert eta(49, 1000, 30.0) is None  # under 5%, however long it took
    assert eta(500, 1000, 1.9) is None  # half done, but under two seconds
    assert eta(50, 1000, 2.0) == 38.0  # 5% in 2 s: 38 s for the 95% left
    assert eta(1000, 1000, 9.0) is None  # done
    assert eta(0, 0, 5.0) is None


def test_clock_text() -> None:
    assert [clock_text(s) for s in (0, 27.4, 59.6, 61, 3600, 3725)] == [
        "0:00", "0:27", "1:00", "1:01", "1:00:00", "1:02:05"]


def test_the_bar_as_a_terminal_sees_it() -> None:
    clock, stream = Clock(), io.StringIO()
    with Bar(200, "building", stream, clock=clock) as bar:
        clock.now += 1.0
        bar.update(5)  # 2.5% after 1 s
        clock.now += 2.0
        bar.update(15)  # 10% after 3 s: 27 s left
        bar.update(1)  # within 0.1 s of the last redraw: not drawn
        clock.now += 27.0
        bar.update(179)
    frames = stream.getvalue().split("\r")[1:]
    assert frames == [
        "building [------------------------------] 0/200   0%\x1b[K",
        "building [------------------------------] 5/200   2%\x1b[K",
        "building [###---------------------------] 20/200  10%  0:27 left\x1b[K",
        "building [##############################] 200/200 100%\x1b[K",
        "building [##############################] 200/200 100%\x1b[K\n",
    ]
