"""One input through everything a user can run on a file, in process: read -> lint ->
every reporter -> verify (every format) -> convert (every target) -> format.

:func:`run` raises :class:`Crash` (naming the stage) for anything a user would see as
"internal error": an exception out of a stage, or a rule's internal error. Refusals in
the project's own words (ConvertError, a finding, "Unverified") are answers, not crashes.
"""

from __future__ import annotations

import contextlib
import io
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "src") not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT / "src"))

from profilesmith.api_types import Verification  # noqa: E402
from profilesmith.base.pointers import escape_pointer_token  # noqa: E402
from profilesmith.cms.chain import Anchors  # noqa: E402
from profilesmith.cms.verify import verify_document  # noqa: E402
from profilesmith.lint.config import LintOptions  # noqa: E402
from profilesmith.lint.engine import lint_document  # noqa: E402
from profilesmith.lint.reporters import FORMATS, Report, write  # noqa: E402
from profilesmith.plist.convert import ConvertError, dump, load  # noqa: E402
from profilesmith.plist.formatter import format_bytes  # noqa: E402
from profilesmith.plist.reader import read_bytes  # noqa: E402

NOW = datetime(2026, 1, 1, tzinfo=UTC)  # a fixed clock: the same input, the same run
OPTIONS = LintOptions(now=NOW)
ANCHORS = Anchors([], "none")
TARGETS = ("xml", "binary", "json", "yaml")
VERIFY_FORMATS = ("text", "json", "github", "junit")
PATH = "fuzz.mobileconfig"


class Crash(Exception):
    """An input made a stage fail; ``stage`` names it, the cause is chained."""

    def __init__(self, stage: str, detail: str) -> None:
        super().__init__(f"{stage}: {detail}")
        self.stage = stage


def _stage(name: str, function, *args, **kwargs):  # type: ignore[no-untyped-def]
    try:
        return function(*args, **kwargs)
    except (Crash, MemoryError):
        raise
    except RecursionError as exc:
        raise Crash(name, f"RecursionError: {exc}") from exc
    except Exception as exc:
        raise Crash(name, f"{type(exc).__name__}: {exc}") from exc


def _convert(data: bytes) -> None:
    try:
        loaded = load(data, PATH)
    except ConvertError:
        return
    for target in TARGETS:
        with contextlib.suppress(ConvertError):
            dump(loaded, target)  # type: ignore[arg-type]


def _reports(result) -> None:  # type: ignore[no-untyped-def]
    files = [{"path": result.path, "format": result.format, "signed": result.signed}]
    report = Report(findings=sorted(result.findings), files=files)
    for name in FORMATS:
        write(name, report, io.StringIO())


def _verify(doc) -> None:  # type: ignore[no-untyped-def]
    verification = Verification(verify_document(doc, ANCHORS, now=NOW), NOW)
    for name in VERIFY_FORMATS:
        verification.render(name)


def _facts(doc) -> str:  # type: ignore[no-untyped-def]
    positions = []
    if doc.locator is not None and isinstance(doc.root, dict | list):
        items = doc.root.items() if isinstance(doc.root, dict) else enumerate(doc.root)
        for key, _ in list(items)[:100]:
            pointer = "/" + escape_pointer_token(str(key))
            positions.append((doc.locate(pointer), doc.locate(pointer, at="key")))
    return repr((doc.format, doc.root, doc.findings, doc.duplicates, doc.unreadable,
                 doc.suppressions.directives, doc.suppressions.by_line, positions))


def _parity(data: bytes, doc) -> None:  # type: ignore[no-untyped-def]
    """The expat decoder (read_bytes' default for small runs) and the lxml one
    (tree=True) give the same Document: values, findings, suppressions, positions."""
    other = read_bytes(data, PATH, tree=True)
    if _facts(doc) != _facts(other):
        raise AssertionError("the expat and lxml decoders disagree")


def failures(data: bytes) -> list[Crash]:
    """Every stage on ``data``, each stage run even when an earlier one failed (a crash
    in lint must not hide one in verify); the failures, in stage order."""
    found: list[Crash] = []

    def attempt(name: str, function, *args):  # type: ignore[no-untyped-def]
        try:
            return _stage(name, function, *args)
        except Crash as exc:
            found.append(exc)
            return None

    doc = attempt("read", read_bytes, data, PATH)
    if doc is not None:
        attempt("reader parity", _parity, data, doc)
        result = attempt("lint", lint_document, doc, OPTIONS)
        if result is not None:
            if result.internal_errors:
                found.append(Crash("lint", "; ".join(result.internal_errors)))
            attempt("report", _reports, result)
        attempt("verify", _verify, doc)
    attempt("convert", _convert, data)
    attempt("format", format_bytes, data, PATH)
    return found


def run(data: bytes) -> None:
    """Every stage on ``data``; the first failure raised (the others chained in
    ``also``)."""
    found = failures(data)
    if found:
        found[0].also = found[1:]  # type: ignore[attr-defined]
        raise found[0]


class _Expired(BaseException):
    pass


TIME_LIMIT = 2.0  # seconds per input, as atheris's -timeout=2


@contextmanager
def time_limit(seconds: float = TIME_LIMIT) -> Iterator[None]:
    """Crash("timeout") once ``seconds`` have passed (SIGALRM: the main thread only,
    where pytest and fuzz/run call it); elsewhere the block runs unbounded."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(signum: int, frame: object) -> None:
        raise _Expired  # not an Exception: no `except Exception` in the code swallows it

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except _Expired:
        raise Crash("timeout", f"an input took over {seconds:g} s") from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run_limited(data: bytes, seconds: float = TIME_LIMIT) -> None:
    """:func:`run` within the time limit."""
    with time_limit(seconds):
        run(data)


def seeds() -> list[Path]:
    """The seed corpus: the project's own fixtures (profiles, plists, JSON, certificates)."""
    fixtures = ROOT / "tests" / "fixtures"
    return sorted(p for p in fixtures.rglob("*") if p.is_file()
                  and p.suffix in (".mobileconfig", ".plist", ".json", ".der", ".p12", ".xml",
                                   ".pem", ".bin", ""))
