"""profilesmith's benchmark harness: every performance target in the README as a ratio against a
baseline measured in the same run, on the same machine, on the same files.

    python bench/run.py                 # everything (10,000-file lint corpus)
    python bench/run.py --quick         # smaller sizes, for a quick look
    python bench/run.py lint startup    # only some sections

Absolute times are printed for context only; the ratios are what the targets name.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import signing  # noqa: E402
from corpus import build_corpus  # noqa: E402


@dataclass
class Result:
    name: str
    ratio: float
    target: str
    ok: bool
    detail: str


def best_of(repeat: int, func: Callable[[], object]) -> float:
    """The fastest of ``repeat`` runs: the least disturbed by other load on the machine."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def _one_run(argv: list[str]) -> tuple[float, float]:
    start = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(child.pid, 0)
    child.returncode = 0  # reaped by wait4 above
    return usage.ru_utime + usage.ru_stime, time.perf_counter() - start


def interleaved_cost(
    first: list[str], second: list[str], runs: int
) -> tuple[tuple[float, float], tuple[float, float]]:
    """Median (CPU, wall) of two commands, run alternately so that drifting load on the
    machine weighs on both alike. CPU time (user + system, from wait4) is what the ratio
    uses: on a shared machine, wall time mostly measures the neighbours."""
    a: list[tuple[float, float]] = []
    b: list[tuple[float, float]] = []
    for _ in range(runs):
        a.append(_one_run(first))
        b.append(_one_run(second))

    def medians(values: list[tuple[float, float]]) -> tuple[float, float]:
        return (statistics.median(v[0] for v in values), statistics.median(v[1] for v in values))

    return medians(a), medians(b)


# -- sections ---------------------------------------------------------------------------


def lint_throughput(work: Path, files: int) -> list[Result]:
    import plistlib

    from profilesmith.lint.config import LintOptions
    from profilesmith.lint.discover import expand
    from profilesmith.lint.run import lint_targets

    corpus = build_corpus(work / "lint-corpus", files)
    paths = sorted(corpus.glob("*.mobileconfig"))

    def baseline() -> None:
        for path in paths:
            plistlib.loads(path.read_bytes())

    options = LintOptions()

    def lint(jobs: int) -> Callable[[], object]:
        return lambda: lint_targets(expand([str(corpus)]), options, jobs=jobs)

    base = best_of(3, baseline)
    results = []
    for jobs in (1, 2):
        took = best_of(3, lint(jobs))
        ratio = base / took
        results.append(Result(
            f"lint throughput, --jobs {jobs}", ratio, ">= 1.0x plistlib.loads", ratio >= 1.0,
            f"{len(paths)} files: plistlib {base * 1e6 / len(paths):.0f} us/file, "
            f"lint {took * 1e6 / len(paths):.0f} us/file",
        ))
    return results


def startup(work: Path, runs: int) -> list[Result]:
    profile = work / "one.mobileconfig"
    corpus = build_corpus(work / "one-file", 1)
    shutil.copy(next(corpus.glob("*.mobileconfig")), profile)
    python = sys.executable
    exe = _exe()
    baseline = [python, "-c", "import plistlib,sys; plistlib.load(open(sys.argv[1],'rb'))",
                str(profile)]
    lint = [exe, "lint", str(profile)]
    interleaved_cost(baseline, lint, 3)  # warm the file system cache and .pyc files
    (base, base_wall), (took, took_wall) = interleaved_cost(baseline, lint, runs)
    ratio = took / base
    return [Result(
        "one-file lint process (CPU)", ratio, "<= 3.0x python -c plistlib.load",
        ratio <= 3.0,
        f"CPU: plistlib process {base * 1e3:.1f} ms, profilesmith lint {took * 1e3:.1f} ms; "
        f"wall: {base_wall * 1e3:.1f} / {took_wall * 1e3:.1f} ms (medians of {runs})",
    )]


def _exe() -> str:
    return shutil.which("profilesmith", path=os.path.dirname(sys.executable)) or "profilesmith"


SECTIONS: dict[str, Callable[[Path, bool], list[Result]]] = {
    "lint": lambda work, quick: lint_throughput(work, 1000 if quick else 10_000),
    "startup": lambda work, quick: startup(work, 15 if quick else 60),
    **signing.sections(_exe()),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sections", nargs="*", metavar="SECTION", help=", ".join(SECTIONS))
    parser.add_argument("--quick", action="store_true", help="smaller sizes")
    args = parser.parse_args()
    chosen = args.sections or list(SECTIONS)
    unknown = [name for name in chosen if name not in SECTIONS]
    if unknown:
        parser.error(f"unknown section(s) {', '.join(unknown)}; choose from {', '.join(SECTIONS)}")
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="profilesmith-bench-") as temp:
        for name in chosen:
            work = Path(temp) / name
            work.mkdir()
            results.extend(SECTIONS[name](work, args.quick))
    width = max(len(r.name) for r in results)
    for r in results:
        mark = "ok  " if r.ok else "MISS"
        print(f"{mark} {r.name:<{width}}  {r.ratio:6.2f}x  (target {r.target})  {r.detail}")
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
