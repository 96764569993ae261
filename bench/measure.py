"""Whole processes measured by the rusage the kernel gives their parent (os.wait4).

The rusage wait4 returns for a child includes every descendant the child itself waited
for (Linux adds a reaped process's times to its parent's "children" totals, and its
peak RSS to their maximum), so the workers of a ProcessPoolExecutor, which it joins, are
counted. ``check_descendants_counted`` proves that on this machine before anything is
measured. Each command is started by a small launcher (see _LAUNCHER), so that its peak
RSS is its own. Wall time is kept too, but on a shared machine it mostly measures the
neighbours.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Sample:
    cpu: float  # seconds, user + system, the child and its reaped descendants
    wall: float  # seconds
    maxrss: int  # kilobytes: the largest single process among the child and descendants


@dataclass
class Command:
    label: str
    argv: list[str]
    ok_codes: tuple[int, ...] = (0,)
    cwd: Path | None = None
    before: Callable[[], None] | None = None  # run before every run, outside the timing
    samples: list[Sample] = field(default_factory=list)

    def median(self, what: str = "cpu") -> float:
        return float(statistics.median(getattr(s, what) for s in self.samples))

    def peak_rss(self) -> int:
        return max(s.maxrss for s in self.samples)


class BenchError(Exception):
    """A command the bench runs failed: the message says which and why."""


# The command runs as the child of this small launcher, not of the bench: a process's peak
# RSS starts at that of the process it was forked from (Linux keeps the high-water mark of
# the image exec replaces), and the bench holds far more than a bare python. The launcher
# reports the command's rusage and wall time on the file descriptor named first.
_LAUNCHER = """
import os, sys, time
report = int(sys.argv.pop(1))
os.set_inheritable(report, False)
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execv(sys.argv[1], sys.argv[1:])
    except OSError as error:
        os.write(2, f"cannot run {sys.argv[1]}: {error.strerror}\\n".encode())
    os._exit(127)
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - start
os.write(report, f"{os.waitstatus_to_exitcode(status)} {usage.ru_utime + usage.ru_stime} "
            f"{wall} {usage.ru_maxrss}".encode())
"""


def run_once(command: Command) -> Sample:
    if command.before is not None:
        command.before()
    read, write = os.pipe()
    try:
        child = subprocess.Popen(
            [sys.executable, "-S", "-c", _LAUNCHER, str(write), *command.argv],
            cwd=command.cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE, pass_fds=(write,))
    finally:
        os.close(write)
    error = child.communicate()[1].decode(errors="replace")
    with os.fdopen(read, "rb") as report:
        fields = report.read().split()
    if child.returncode != 0 or len(fields) != 4:
        raise BenchError(f"{command.label}: the launcher failed: {error.strip()}")
    code, cpu, wall, maxrss = int(fields[0]), float(fields[1]), float(fields[2]), int(fields[3])
    if code not in command.ok_codes:
        last = error.strip().splitlines()[-1:] or ["(no message)"]
        raise BenchError(f"{command.label}: exit {code}: {last[0]}\n"
                         f"  command: {' '.join(command.argv)}")
    return Sample(cpu, wall, maxrss)


def interleave(commands: Sequence[Command], runs: int, warmup: int = 1) -> None:
    """Run the commands in turn, ``runs`` times each after ``warmup`` uncounted rounds
    (file system cache, .pyc files), so that load that drifts during the bench weighs on
    each alike and their ratios stay meaningful. Each round starts one command later
    (A B C, B C A, C A B, ...): on the development machine a lint measured 5-18% more
    CPU in the third place of a fixed order than in the second."""
    for _ in range(warmup):
        for command in commands:
            run_once(command)
    for round_ in range(runs):
        shift = round_ % len(commands)
        for command in [*commands[shift:], *commands[:shift]]:
            command.samples.append(run_once(command))


def ratios(top: Command, bottom: Command, what: str = "cpu") -> list[float]:
    """The ratio of each round (run i of ``top`` over run i of ``bottom``): their spread is
    the range the report prints beside the ratio of the medians."""
    return [getattr(a, what) / getattr(b, what) for a, b in zip(top.samples, bottom.samples,
                                                                 strict=True)]


_GRANDCHILD = """
import os, sys, time
pid = os.fork()
if pid == 0:
    end = time.process_time() + 0.3
    block = bytearray(60 * 1024 * 1024)  # 60 MB touched in the grandchild only
    for i in range(0, len(block), 4096):
        block[i] = 1
    while time.process_time() < end:
        pass
    os._exit(0)
os.waitpid(pid, 0)
"""


def check_descendants_counted() -> str:
    """Fail unless wait4's rusage of a child includes a grandchild the child waited for
    (0.3 s of CPU and 60 MB of RSS spent in the grandchild alone)."""
    sample = run_once(Command("rusage self-check", [sys.executable, "-c", _GRANDCHILD]))
    if sample.cpu < 0.25 or sample.maxrss < 55 * 1024:
        raise BenchError(f"wait4 does not count grandchildren here (CPU {sample.cpu:.2f} s, "
                         f"peak RSS {sample.maxrss // 1024} MB; expected >= 0.3 s, 60 MB)")
    return (f"rusage self-check: a waited-for grandchild's CPU ({sample.cpu:.2f} s of 0.30) "
            f"and peak RSS ({sample.maxrss // 1024} MB of 60) are counted in wait4")


def machine_note() -> str:
    return f"{os.cpu_count()} CPUs, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
