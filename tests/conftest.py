"""Shared test helpers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from click.testing import CliRunner, Result

from profilesmith.base.findings import Finding
from profilesmith.cli import cli
from profilesmith.lint.config import LintOptions
from profilesmith.lint.discover import expand
from profilesmith.lint.engine import lint_document
from profilesmith.lint.run import lint_targets
from profilesmith.plist.reader import read_bytes
from tests.pki import PKI, shared_pki

TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures"
REPO = TESTS.parent
# The shared data (Apple's schema data, seeds, the real-world corpus): the directory
# $PROFILESMITH_SHARED names, else ../shared beside the checkout (scripts/corpus_report.py
# looks in the same places). Tests that need it call need_shared() and skip without it.
SHARED_ENV = "PROFILESMITH_SHARED"


def shared_root() -> Path:
    given = os.environ.get(SHARED_ENV)
    return Path(given).resolve() if given else (REPO / ".." / "shared").resolve()


SHARED = shared_root()
CORPUS = SHARED / "corpus" / "real-world"
MESSAGES = SHARED / "corpus" / "messages"


def need_shared(*parts: str) -> Path:
    """A directory of the shared data, or skip the test naming how to provide it."""
    path = SHARED.joinpath(*parts)
    if not path.is_dir():
        pytest.skip(f"{path} is not available (set ${SHARED_ENV} to the shared data, "
                    "or put it in ../shared)")
    return path

# One fixed clock for every test that looks at certificate dates.
FIXED_NOW = datetime(2026, 6, 1, tzinfo=UTC)


def options(**changes: object) -> LintOptions:
    return LintOptions(now=FIXED_NOW).with_changes(**changes)


def lint_bytes(data: bytes, *, path: str = "t.mobileconfig", **changes: object) -> list[Finding]:
    """Findings for one in-memory file, with default options and the fixed clock."""
    return lint_document(read_bytes(data, path), options(**changes)).findings


def lint_files(paths: Sequence[str | os.PathLike[str]], **changes: object) -> list[Finding]:
    run = lint_targets(expand([str(p) for p in paths]), options(**changes))
    return run.findings


def rule_hits(findings: Sequence[Finding], rule: str) -> list[tuple[int | None, str]]:
    """(line, pointer) of each finding of one rule: what most rule tests assert."""
    return [(f.line, f.pointer) for f in findings if f.rule == rule]


def run_cli(
    *args: str, input: bytes | str | None = None, env: dict[str, str] | None = None
) -> Result:
    return CliRunner().invoke(cli, list(args), input=input, env=env, catch_exceptions=False)


def plist(body: str) -> bytes:
    """An XML plist around ``body`` (the XML declaration and DOCTYPE take lines 1-2,
    <plist> line 3, so the first line of ``body`` is line 4)."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" '
        '"http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n'
        '<plist version="1.0">\n'
        f"{body}\n"
        "</plist>\n"
    ).encode()


def empty_profile(identifier: str, uuid: str) -> bytes:
    """A valid profile with no payloads (what signing and encryption tests wrap)."""
    return plist(f"""<dict>
	<key>PayloadContent</key>
	<array/>
	<key>PayloadIdentifier</key>
	<string>{identifier}</string>
	<key>PayloadType</key>
	<string>Configuration</string>
	<key>PayloadUUID</key>
	<string>{uuid}</string>
	<key>PayloadVersion</key>
	<integer>1</integer>
</dict>""")


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> PKI:
    """A root, an intermediate and leaf identities made once per test session
    (tests/pki.py); they hold throwaway keys only."""
    return shared_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture
def corpus() -> Path:
    """The real-world corpus of the shared data; tests using it skip when it is absent."""
    return need_shared("corpus", "real-world")


@pytest.fixture
def messages() -> Path:
    """The message corpus of the shared data (responses, check-ins, DDM declarations);
    tests using it skip when it is absent."""
    return need_shared("corpus", "messages")


class FreshRun(NamedTuple):
    code: Any  # the SystemExit code (None when main returned)
    imported: list[str]  # those of the watched modules the run imported
    out: str
    err: str


def fresh_run(args: Sequence[str], watched: Iterable[str]) -> FreshRun:
    """``profilesmith ARGS`` in a new interpreter, to see what it imports (lazy imports
    keep the one-file lint, a build and a batch in one process light)."""
    code = (
        "import sys\n"
        "from profilesmith.cli import main\n"
        "code = None\n"
        "try:\n"
        f"    main({list(args)!r})\n"
        "except SystemExit as exit:\n"
        "    code = exit.code\n"
        f"imported = sorted(m for m in {list(watched)!r} if m in sys.modules)\n"
        "import json\n"  # after the run: nothing but profilesmith decides what it loads
        "sys.stdout.write('\\n' + json.dumps([code, imported]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    out, _, last = done.stdout.rpartition("\n")
    exit_code, imported = json.loads(last)
    return FreshRun(exit_code, imported, out, done.stderr)
