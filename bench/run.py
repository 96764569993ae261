"""profilesmith's benchmark: every performance target of issue 12 / DESIGN.md §6, each a
ratio of whole processes measured side by side in one run.

    python bench/run.py                          # every section, targets enforced
    python bench/run.py lint memory startup      # some sections
    python bench/run.py --quick                  # CI smoke run: small sizes, no targets
    python bench/run.py --json results.json      # also save every sample

Each command runs as a child process of this one; its CPU time (user + system) and peak RSS
come from the rusage wait4 returns, which includes the workers it waited for. Commands of a
section run interleaved (A B A B ...), at least 5 rounds after a warm-up round; a ratio is
that of the medians, and the range is the spread of the per-round ratios. The corpus is the
real-world corpus of the shared data copied N times (bench/corpus.py); without it the bench
fails unless --synthetic is given. profilesmith is the one installed in this python's
environment.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import signal
import sys
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402
import signing  # noqa: E402
from measure import (  # noqa: E402
    BenchError,
    Command,
    check_descendants_counted,
    interleave,
    machine_note,
    ratios,
)

# plistlib-loads every file, as pre-commit-macadmin's check-plists hook does; a file it
# cannot read (a signed one, a malformed one) is a failure it reports, and it goes on
PLISTLIB_WALK = """
import os, plistlib, sys
failed = 0
for root, dirs, files in os.walk(sys.argv[1]):
    dirs.sort()
    for name in sorted(files):
        if name.endswith(".mobileconfig"):
            try:
                with open(os.path.join(root, name), "rb") as handle:
                    plistlib.load(handle)
            except Exception:
                failed += 1
"""
PLISTLIB_ONE = "import plistlib, sys; plistlib.load(open(sys.argv[1], 'rb'))"
LINT_ALL = ["lint", "--select", "ALL", "--format", "json", "--output", os.devnull]
FINDINGS = (0, 1)  # lint exits 1 when a finding fails: that is a result, not a crash


@dataclass
class Result:
    section: str
    name: str
    measure: str  # cpu, wall or maxrss
    ratio: float
    low: float
    high: float
    limit: float | None  # the target: ratio <= limit
    aim: float | None
    passed: bool | None  # None: --quick, targets not enforced

    def line(self) -> str:
        target = "" if self.limit is None else f"target <= {self.limit:g}x"
        if self.aim is not None:
            target += f" (aim {self.aim:g}x)"
        verdict = {True: "PASS", False: "FAIL", None: ""}[self.passed]
        return (f"  ratio     {self.ratio:.2f}x {self.measure} (rounds: {self.low:.2f}.."
                f"{self.high:.2f}x)  {target}  {verdict}")


@dataclass
class Settings:
    work: Path
    exe: list[str]
    runs: int
    warmup: int
    quick: bool
    synthetic: bool
    corpora: dict[int, corpus.Corpus]  # built once per bench run, shared by the sections


class Section:
    """One section's commands and results, printed as they come."""

    def __init__(self, name: str, settings: Settings) -> None:
        self.name, self.settings = name, settings
        self.commands: list[Command] = []
        self.results: list[Result] = []
        self.notes: list[str] = []

    def note(self, text: str) -> None:
        self.notes.append(text)
        print(f"  {text}", flush=True)

    def measure(self, *commands: Command, runs: int | None = None) -> None:
        runs = runs or self.settings.runs
        interleave(commands, runs, self.settings.warmup)
        for role, command in zip(("baseline", *["measured"] * len(commands)), commands,
                                 strict=False):
            low = min(s.cpu for s in command.samples)
            high = max(s.cpu for s in command.samples)
            print(f"  {role:<9} {command.label}\n"
                  f"            CPU {command.median():.3f} s (median of {len(command.samples)};"
                  f" {low:.3f}..{high:.3f})  wall {command.median('wall'):.3f} s  "
                  f"peak RSS {command.median('maxrss') / 1024:.1f} MB", flush=True)
        self.commands.extend(commands)

    def ratio(self, name: str, top: Command, bottom: Command, limit: float | None, *,
              measure: str = "cpu", aim: float | None = None) -> Result:
        each = ratios(top, bottom, measure)
        value = top.median(measure) / bottom.median(measure)
        if self.settings.quick or limit is None:
            limit = None
        passed = None if limit is None else value <= limit
        result = Result(self.name, name, measure, value, min(each), max(each), limit, aim,
                        passed)
        print(f"  {name}\n{result.line()}", flush=True)
        self.results.append(result)
        return result


def _build(settings: Settings, copies: int) -> corpus.Corpus:
    if copies not in settings.corpora:
        directory = settings.work.parent / f"corpus-{copies}"
        settings.corpora[copies] = corpus.build(directory, copies, synthetic=settings.synthetic)
    return settings.corpora[copies]


def _lint(settings: Settings, built: corpus.Corpus, *extra: str) -> Command:
    jobs = " ".join(extra) or "default --jobs"
    return Command(f"profilesmith lint --select ALL --format json, {jobs} ({built.files} files)",
                   [*settings.exe, *LINT_ALL, *extra, str(built.directory)], FINDINGS,
                   cwd=settings.work)


def _plistlib(built: corpus.Corpus) -> Command:
    return Command(f"one python process plistlib-loading each file ({built.files} files)",
                   [sys.executable, "-c", PLISTLIB_WALK, str(built.directory)])


def section_lint(section: Section) -> None:
    settings = section.settings
    built = _build(settings, 1 if settings.quick else 7)
    section.note(built.describe())
    base, lint = _plistlib(built), _lint(settings, built)
    one = _lint(settings, built, "--jobs", "1")
    section.measure(base, lint, one)
    section.ratio("lint (default --jobs) / plistlib process", lint, base, 1.0, aim=0.67)
    section.ratio("lint --jobs 1 / plistlib process (context, no target)", one, base, None)


def section_memory(section: Section) -> None:
    settings = section.settings
    small, large = (1, 3) if settings.quick else (7, 70)
    built_small, built_large = _build(settings, small), _build(settings, large)
    section.note(f"small: {built_small.describe()}")
    section.note(f"large: {built_large.describe()}")
    first, second = _lint(settings, built_small), _lint(settings, built_large)
    section.measure(first, second)
    section.ratio(f"peak RSS at {built_large.files} files / at {built_small.files}",
                  second, first, 1.5, measure="maxrss")


def section_startup(section: Section) -> None:
    settings = section.settings
    profile = settings.work / "one.mobileconfig"
    profile.write_bytes(corpus.one_profile(synthetic=settings.synthetic))
    section.note(f"one unsigned real profile of median size ({profile.stat().st_size} bytes)")
    base = Command("python -c plistlib.load(FILE)",
                   [sys.executable, "-c", PLISTLIB_ONE, str(profile)])
    lint = Command("profilesmith lint FILE", [*settings.exe, "lint", str(profile)], FINDINGS,
                   cwd=settings.work)
    section.measure(base, lint, runs=settings.runs * 3)
    section.ratio("one-file lint process / one-file plistlib process", lint, base, 2.5)


def section_jobs(section: Section) -> None:
    settings = section.settings
    section.note("wall time: workers spend more CPU than they save, so the CPU ratio "
                 "(printed above each) cannot show whether they repay their start")
    for copies in (1,) if settings.quick else (1, 7, 70):
        built = _build(settings, copies)
        section.note(built.describe())
        one, default = _lint(settings, built, "--jobs", "1"), _lint(settings, built)
        chosen = _record_choice(default, built.files)
        section.measure(one, default)
        cpu = default.median() / one.median()
        section.note(f"CPU: default / --jobs 1 = {cpu:.2f}x")
        section.note(f"workers the default chose, round by round: {chosen}")
        name = f"default --jobs / --jobs 1 at {built.files} files (wall)"
        if set(chosen) == {1}:
            # the same command twice: what the ratio shows is the spread between runs
            section.note("the default chose --jobs 1 in every round (no second CPU free, or "
                         "too few files to repay a worker): the two commands are one")
            section.ratio(f"{name}, noise of one command", default, one, None, measure="wall")
            section.results.append(Result(
                section.name, f"{name}: one command (the default chose --jobs 1)", "wall",
                1.0, 1.0, 1.0, 1.0, None, None if settings.quick else True))
        else:
            section.ratio(name, default, one, 1.0, measure="wall")


def _record_choice(command: Command, files: int) -> list[int]:
    """The workers ``--jobs 0`` chooses just before each run of ``command``, as it will
    (the load average is the machine's: the bench and its child see the same), so that the
    report can tell two runs of one command from a comparison."""
    from profilesmith.lint.run import auto_jobs

    chosen: list[int] = []

    def before() -> None:
        chosen.append(auto_jobs(files))

    command.before = before
    return chosen


def section_sign(section: Section) -> None:
    settings, work = section.settings, section.settings.work
    count = 50 if settings.quick else 1000
    key, cert = signing.make_identity(work)
    files = signing.build_profiles(settings.exe, work, count)
    section.note(f"{len(files)} enrollment profiles built by profilesmith, RSA-2048 signer")
    bare = signing.bare_sign_command(files, work / "bare-signed", key, cert)
    ours = signing.sign_command(settings.exe, files, work / "signed", key, cert)
    section.measure(bare, ours)
    section.ratio(f"sign of {count} (lint included) / bare cryptography loop", ours, bare, 1.3)


def section_build(section: Section) -> None:
    settings, work = section.settings, section.settings.work
    count = 50 if settings.quick else 2000
    key, cert = signing.make_identity(work)
    files = signing.build_profiles(settings.exe, work, count)
    section.note(f"{count} rows of per-device enrollment values, RSA-2048 signer")
    sign = signing.sign_command(settings.exe, files, work / "signed", key, cert)
    build = signing.build_signed_command(settings.exe, work, count, key, cert)
    section.measure(sign, build)
    section.ratio(f"build --rows of {count} signed / sign of {count}", build, sign, 1.5)


SECTIONS: dict[str, Callable[[Section], None]] = {
    "lint": section_lint, "memory": section_memory, "startup": section_startup,
    "jobs": section_jobs, "sign": section_sign, "build": section_build,
}


def _scratch() -> str | None:
    """A RAM file system when there is one: deleting tens of thousands of files on a disk
    mounted with online discard takes minutes."""
    shm = "/dev/shm"
    return shm if os.path.isdir(shm) and os.access(shm, os.W_OK) else None


def _bytecode_cache(directory: Path) -> None:
    """Let the commands cache their compiled modules (in the scratch directory), as an
    installed package has them: with PYTHONDONTWRITEBYTECODE set (some shells and CI
    images set it) every run of profilesmith from a source checkout compiled its modules
    again, a cost the bare python baselines, which import only installed packages, never
    paid. The warm-up round fills the cache."""
    if os.environ.pop("PYTHONDONTWRITEBYTECODE", None) is not None:
        print("PYTHONDONTWRITEBYTECODE unset for the commands (their bytecode is cached "
              "in the scratch directory)")
    os.environ["PYTHONPYCACHEPREFIX"] = str(directory)


def profilesmith_command() -> list[str]:
    """The profilesmith installed beside this python (its console script), else -m."""
    script = Path(sys.executable).parent / "profilesmith"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "profilesmith"]


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sections", nargs="*", metavar="SECTION",
                        help=f"any of {', '.join(SECTIONS)} (default: all)")
    parser.add_argument("--quick", action="store_true",
                        help="small sizes, one round, no targets enforced (a CI smoke run)")
    parser.add_argument("--runs", type=int, default=5,
                        help="interleaved rounds per command (at least 5; default 5)")
    parser.add_argument("--synthetic", action="store_true",
                        help="generated profiles instead of the real-world corpus")
    parser.add_argument("--json", metavar="FILE", type=Path, help="save the results here")
    args = parser.parse_args()
    unknown = [name for name in args.sections if name not in SECTIONS]
    if unknown:
        parser.error(f"unknown section {', '.join(unknown)}; choose from {', '.join(SECTIONS)}")
    if not args.quick and args.runs < 5:
        parser.error("--runs: at least 5 rounds (or --quick)")
    return args


def main() -> int:
    args = _arguments()
    # a SIGTERM unwinds like Ctrl-C, so that the scratch directory (in RAM) is removed
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    chosen = args.sections or list(SECTIONS)
    exe = profilesmith_command()
    started = datetime.datetime.now(datetime.UTC)
    print(f"profilesmith bench {started:%Y-%m-%d %H:%M} UTC: {' '.join(exe)}; "
          f"{machine_note()}")
    if args.synthetic:
        print("SYNTHETIC corpus (--synthetic): generated profiles, not the real-world corpus")
    if args.quick:
        print("--quick: small sizes, one round, targets not enforced")
    sections: list[Section] = []
    corpora: dict[int, corpus.Corpus] = {}
    try:
        print(check_descendants_counted())
        with tempfile.TemporaryDirectory(prefix="profilesmith-bench-", dir=_scratch()) as temp:
            print(f"scratch directory {temp}")
            _bytecode_cache(Path(temp) / "pycache")
            for name in chosen:
                work = Path(temp) / name
                work.mkdir()
                settings = Settings(work, exe, 1 if args.quick else args.runs,
                                    0 if args.quick else 1, args.quick, args.synthetic, corpora)
                section = Section(name, settings)
                sections.append(section)
                print(f"\n[{name}]", flush=True)
                SECTIONS[name](section)
    except (BenchError, corpus.CorpusMissing) as error:
        print(f"bench: {error}", file=sys.stderr)
        return 2
    results = [r for s in sections for r in s.results]
    print("\nsummary")
    for r in results:
        verdict = {True: "PASS", False: "FAIL", None: "-"}[r.passed]
        limit = "" if r.limit is None else f" (<= {r.limit:g}x)"
        print(f"  {verdict:<4} {r.name}: {r.ratio:.2f}x{limit}, rounds {r.low:.2f}..{r.high:.2f}")
    if args.json:
        args.json.write_text(json.dumps(_report(started, exe, args, sections), indent=2) + "\n")
    return 1 if any(r.passed is False for r in results) else 0


def _report(started: datetime.datetime, exe: list[str], args: argparse.Namespace,
            sections: list[Section]) -> dict[str, object]:
    return {
        "started": started.isoformat(), "machine": machine_note(),
        "python": platform.python_version(), "profilesmith": exe, "quick": args.quick,
        "synthetic": args.synthetic,
        "sections": [{
            "name": s.name, "notes": s.notes,
            "commands": [{"label": c.label, "samples": [asdict(x) for x in c.samples]}
                         for c in s.commands],
            "results": [asdict(r) for r in s.results],
        } for s in sections],
    }


if __name__ == "__main__":
    sys.exit(main())
