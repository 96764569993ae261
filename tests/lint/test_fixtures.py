"""Every rule has files that make it fire (positive) and files it must stay silent on
(negative): tests/fixtures/{positive,negative}/<RULE>/<case>.

A positive case declares the exact findings it expects, one per comment
``<!-- expect: LINE POINTER -->`` (LINE may be ``-`` for none; the pointer is the rest of
the comment, empty for the whole document), or, for files that cannot hold comments
(binary, signed, empty, JSON), one ``LINE POINTER`` per line in ``<case>.expect``. A case may
set options in a comment or in
``<case>.options`` (``--`` cannot appear in an XML comment, so comments use the
``name=value`` spelling: ``<!-- lint-options: platform=macos now=2025-01-01 -->``; sidecar
files may use either). Options: ``platform=NAME[:MIN_VERSION]`` (repeatable),
``now=DATE``, ``supervised=true|false``, ``enrollment=device|user|ade|manual``,
``shared-ipad=true|false``. A case that is a directory is linted as one run (cross-file
rules), the directory itself given to lint, as a user lints a folder: a directory walk
(the DDM set rules report dangling references only in walked sets).

The UPD rules (emitted by ``profilesmith diff``, which compares two files; ``lint`` never
runs them) have their own protocol under tests/fixtures/diff/, walked by
tests/diff/test_diff_fixtures.py.
"""

from __future__ import annotations

import re
import shlex
from datetime import UTC, datetime
from pathlib import Path

import pytest

from profilesmith.base.platforms import Deployment
from profilesmith.lint.catalog import all_rules
from profilesmith.lint.config import parse_enrollment, parse_platforms
from tests.conftest import FIXTURES, lint_files

_EXPECT = re.compile(rb"<!--\s*expect:\s*(\S+)[ \t]*(.*?)\s*-->")
_OPTIONS = re.compile(rb"<!--\s*lint-options:\s*(.*?)\s*-->")
SUFFIXES = (".mobileconfig", ".plist", ".json")

# Rules whose trigger cannot sensibly live in a fixture file, and why.
NO_POSITIVE_FIXTURE: dict[str, str] = {}


def _cases(kind: str) -> list[tuple[str, Path]]:
    cases = []
    root = FIXTURES / kind
    if not root.is_dir():
        return cases
    for rule_dir in sorted(p for p in root.iterdir() if p.is_dir()):
        for case in sorted(rule_dir.iterdir()):
            if case.is_dir() or case.suffix in SUFFIXES:
                cases.append((rule_dir.name, case))
    return cases


def _files(case: Path) -> list[Path]:
    if case.is_dir():
        return sorted(p for p in case.rglob("*") if p.suffix in SUFFIXES)
    return [case]


def _expected(path: Path) -> set[tuple[int | None, str]]:
    sidecar = path.with_suffix(".expect")
    entries: list[tuple[str, str]] = []
    if sidecar.exists():
        for row in sidecar.read_text().splitlines():
            if row.strip():
                line, _, pointer = row.strip().partition(" ")
                entries.append((line, pointer))
    else:
        for match in _EXPECT.finditer(path.read_bytes()):
            entries.append((match.group(1).decode(), match.group(2).decode()))
    return {(None if line == "-" else int(line), pointer) for line, pointer in entries}


def _options(paths: list[Path]) -> dict[str, object]:
    words: list[str] = []
    for path in paths:
        sidecar = path.with_suffix(".options")
        if sidecar.exists():
            words += shlex.split(sidecar.read_text())
        else:
            for match in _OPTIONS.finditer(path.read_bytes()):
                words += shlex.split(match.group(1).decode())
    pairs: list[tuple[str, str]] = []
    while words:
        word = words.pop(0)
        if "=" in word:
            name, _, value = word.partition("=")
            pairs.append((name, value))
        else:
            pairs.append((word.removeprefix("--"), words.pop(0)))
    changes: dict[str, object] = {}
    platforms: list[str] = []
    deployment = Deployment()
    for name, value in pairs:
        if name == "platform":
            platforms.append(value)  # NAME[:MIN_VERSION], as --platform takes it
        elif name == "now":
            changes["now"] = datetime.fromisoformat(value).replace(tzinfo=UTC)
        elif name in ("supervised", "shared-ipad"):
            assert value in ("true", "false"), f"{name}={value}: true or false"
            deployment = deployment._replace(**{name.replace("-", "_"): value == "true"})
        elif name == "enrollment":
            deployment = deployment._replace(enrollment=parse_enrollment(value, where=name))
        else:
            raise AssertionError(f"unknown fixture option {name}")
    if platforms:
        changes["platforms"], changes["minimums"] = parse_platforms(platforms, where="fixture")
    if deployment.stated:
        changes["deployment"] = deployment
    return changes


@pytest.mark.parametrize(("rule", "case"), _cases("positive"),
                         ids=lambda v: v if isinstance(v, str) else v.name)
def test_positive_fixture(rule: str, case: Path) -> None:
    files = _files(case)
    expected = {(str(path), line, pointer) for path in files for line, pointer in _expected(path)}
    assert expected, f"{case}: a positive fixture must declare its expected findings"
    findings = lint_files([case] if case.is_dir() else files, **_options(files))
    got = {(f.path, f.line, f.pointer) for f in findings if f.rule == rule}
    assert got == expected


@pytest.mark.parametrize(("rule", "case"), _cases("negative"),
                         ids=lambda v: v if isinstance(v, str) else v.name)
def test_negative_fixture(rule: str, case: Path) -> None:
    files = _files(case)
    findings = lint_files([case] if case.is_dir() else files, **_options(files))
    assert [f for f in findings if f.rule == rule] == []


def test_every_rule_is_documented_and_has_fixtures() -> None:
    positive = {rule for rule, _ in _cases("positive")}
    negative = {rule for rule, _ in _cases("negative")}
    problems = []
    for rule_id, rule in sorted(all_rules().items()):
        if "Fails:" not in rule.doc or "Passes:" not in rule.doc or len(rule.summary) < 10:
            problems.append(f"{rule_id}: docstring needs a summary, 'Fails:' and 'Passes:'")
        if rule.emitted_by == ("profilesmith.diff",):
            continue  # compare two files: tests/diff/test_diff_fixtures.py walks their fixtures
        if rule_id not in positive and rule_id not in NO_POSITIVE_FIXTURE:
            problems.append(f"{rule_id}: no positive fixture")
        if rule_id not in negative:
            problems.append(f"{rule_id}: no negative fixture")
    assert problems == []


def test_rule_ids_are_well_formed() -> None:
    for rule_id, rule in all_rules().items():
        assert re.fullmatch(r"[A-Z]{3}\d{3}", rule_id), rule_id
        assert rule.id == rule_id


def test_every_rule_module_is_registered() -> None:
    import profilesmith.lint.rules as package

    on_disk = {p.stem for p in Path(package.__file__).parent.glob("*.py") if p.stem != "__init__"}
    assert set(package.MODULES) == on_disk
