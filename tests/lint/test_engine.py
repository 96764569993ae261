"""The engine: configuration, suppressions, directory walks, stdin, parallel runs."""

from __future__ import annotations

import plistlib
from pathlib import Path

import pytest

from profilesmith.base.findings import Finding, Severity
from profilesmith.lint.config import ConfigError, LintOptions, find_config, load_config
from profilesmith.lint.discover import PathError, expand
from profilesmith.lint.run import lint_targets
from tests.conftest import FIXTURES, lint_bytes, options, plist, rule_hits, run_cli

DUPLICATE = plist(
    "<dict>\n"
    "<key>PayloadIdentifier</key><string>com.example.a</string>\n"
    "<key>PayloadType</key><string>Configuration</string>\n"
    "<key>PayloadUUID</key><string>not-a-uuid</string>\n"
    "<key>PayloadVersion</key><integer>1</integer>\n"
    "<key>PayloadContent</key><array/>\n"
    "<key>PayloadDescription</key><string>1</string>\n"
    "<key>PayloadDescription</key><string>2</string>\n"
    "</dict>"
)


def rules_of(findings: list[Finding]) -> list[str]:
    return [f.rule for f in findings]


def test_findings_are_sorted_and_located() -> None:
    findings = lint_bytes(DUPLICATE)
    assert [(f.line, f.column, f.rule, f.pointer) for f in findings] == [
        (7, 23, "STR003", "/PayloadUUID"),
        (11, 1, "STR001", "/PayloadDescription"),
    ]
    assert findings == sorted(findings)


def test_finding_sort_order_puts_null_lines_first() -> None:
    a = Finding("p", None, None, "", "B001", Severity.ERROR, "m")
    b = Finding("p", 1, None, "", "A001", Severity.ERROR, "m")
    c = Finding("p", 1, 3, "", "A001", Severity.ERROR, "m")
    d = Finding("o", 9, 9, "", "Z001", Severity.ERROR, "m")
    assert sorted([c, b, a, d]) == [d, a, b, c]


def test_select_and_ignore_prefixes() -> None:
    assert rules_of(lint_bytes(DUPLICATE, select=("STR001",))) == ["STR001"]
    assert rules_of(lint_bytes(DUPLICATE, ignore=("STR00",))) == []
    assert rules_of(lint_bytes(DUPLICATE, select=("STR",), ignore=("STR001",))) == ["STR003"]


def test_severity_override() -> None:
    findings = lint_bytes(DUPLICATE, severity={"STR003": Severity.ERROR})
    assert [(f.rule, f.severity) for f in findings] == [
        ("STR003", Severity.ERROR),
        ("STR001", Severity.ERROR),
    ]


def test_severity_override_by_prefix_and_exact_id() -> None:
    overrides = {"STR": Severity.INFO, "STR001": Severity.WARNING}
    findings = lint_bytes(DUPLICATE, severity=overrides)
    assert [(f.rule, f.severity) for f in findings] == [
        ("STR003", Severity.INFO),
        ("STR001", Severity.WARNING),
    ]


def test_inline_suppression_before_a_key() -> None:
    second = b"<key>PayloadDescription</key><string>2"
    data = DUPLICATE.replace(second, b"<!-- profilesmith: ignore STR001 -->\n" + second)
    assert rules_of(lint_bytes(data)) == ["STR003"]


def test_inline_suppression_for_the_whole_file() -> None:
    data = DUPLICATE.replace(b"<plist", b"<!-- profilesmith: ignore STR -->\n<plist")
    assert rules_of(lint_bytes(data)) == []


def test_suppression_of_another_rule_does_not_hide() -> None:
    data = DUPLICATE.replace(b"<plist", b"<!-- profilesmith: ignore MDM101 -->\n<plist")
    assert rules_of(lint_bytes(data, ignore=("SUP",))) == ["STR003", "STR001"]
    # and the suppression that suppresses nothing says so
    assert rules_of(lint_bytes(data)) == ["SUP002", "STR003", "STR001"]


def test_findings_below_unreadable_values_are_dropped() -> None:
    data = plist(
        "<dict>\n<key>PayloadUUID</key><integer>x</integer>\n"
        "<key>PayloadType</key><string>Configuration</string>\n</dict>"
    )
    findings = lint_bytes(data)
    assert [(f.rule, f.pointer) for f in findings if f.pointer == "/PayloadUUID"] == [
        ("PAR007", "/PayloadUUID")
    ]


def test_config_file(tmp_path: Path) -> None:
    (tmp_path / "legacy").mkdir()
    config = tmp_path / "pyproject.toml"
    config.write_text(
        "[tool.profilesmith]\n"
        'ignore = ["STR001"]\n'
        'platforms = ["macos"]\n'
        "expiry-warning-days = 60\n"
        '[tool.profilesmith.per-file-ignores]\n"legacy/*" = ["STR003"]\n'
        "[tool.profilesmith.severity]\nSTR003 = \"info\"\n"
    )
    assert find_config(str(tmp_path / "legacy")) == str(config)
    opts = load_config(str(config))
    assert opts.ignore == ("STR001",)
    assert opts.platforms == frozenset({"macos"})
    assert opts.expiry_warning_days == 60
    assert opts.severity == {"STR003": Severity.INFO}
    assert opts.ignored_for(str(tmp_path / "legacy" / "a.mobileconfig"), "STR003")
    assert not opts.ignored_for(str(tmp_path / "a.mobileconfig"), "STR003")


def test_pyproject_without_our_table_is_not_a_config(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.other]\nx = 1\n")
    (tmp_path / "sub").mkdir()
    assert find_config(str(tmp_path / "sub")) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("bogus = 1\n", "unknown option(s) bogus"),
        ("select = 3\n", "select must be a list of rule IDs"),
        ('platforms = ["android"]\n', "unknown platform 'android'"),
        ("[severity]\nSTR001 = \"fatal\"\n", "'fatal' is not error, warning or info"),
        ("select = [\n", "invalid TOML"),
    ],
)
def test_bad_config(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / ".profilesmith.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_config(str(path))


def test_bad_config_is_a_usage_error(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text("bogus = 1\n")
    result = run_cli("lint", "--config", str(config), str(FIXTURES / "negative/STR001"))
    assert result.exit_code == 2
    assert result.stderr.strip() == f"profilesmith: {config}: unknown option(s) bogus"


def test_directory_walk_finds_profiles_and_profile_plists(tmp_path: Path) -> None:
    good = (FIXTURES / "negative/STR001/same-key-in-two-dicts.mobileconfig").read_bytes()
    (tmp_path / "a.mobileconfig").write_bytes(good)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.plist").write_bytes(good)
    (tmp_path / "sub" / "Info.plist").write_bytes(plistlib.dumps({"CFBundleName": "x"}))
    (tmp_path / "sub" / "broken.plist").write_bytes(b"<nope")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "c.mobileconfig").write_bytes(b"junk")
    (tmp_path / "notes.txt").write_text("x")
    run = lint_targets(expand([str(tmp_path)]), options())
    assert [f.path for f in run.files] == [
        str(tmp_path / "a.mobileconfig"),
        str(tmp_path / "sub" / "b.plist"),
    ]
    # a .plist named on the command line is always linted
    run = lint_targets(expand([str(tmp_path / "sub" / "broken.plist")]), options())
    assert rules_of(run.findings) == ["PAR001"]


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(PathError, match="no such file or directory"):
        list(expand([str(tmp_path / "missing")]))


def test_stdin_is_linted_as_dash() -> None:
    run = lint_targets(expand(["-"]), options(), stdin=DUPLICATE)
    assert {f.path for f in run.findings} == {"-"}
    assert [f.entry() for f in run.files] == [{"path": "-", "format": "xml", "signed": False,
                                               "kind": "profile", "type": "Configuration"}]


def test_parallel_run_gives_the_same_findings(tmp_path: Path) -> None:
    for i in range(12):
        (tmp_path / f"p{i:02}.mobileconfig").write_bytes(
            DUPLICATE.replace(b"com.example.a", f"com.example.{i}".encode())
        )
    serial = lint_targets(expand([str(tmp_path)]), options())
    parallel = lint_targets(expand([str(tmp_path)]), options(), jobs=2)
    assert parallel.findings == serial.findings
    assert len(serial.findings) == 12 * 2 + 11  # STR003 + STR001 per file, STR006 across


def test_auto_jobs_only_parallelises_when_files_repay_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from profilesmith.lint import run as engine

    monkeypatch.setattr(engine, "_cpus", lambda: 4)
    monkeypatch.setattr("os.getloadavg", lambda: (0.2, 0.0, 0.0))
    assert [engine.auto_jobs(n) for n in (1, 999, 1000, 2500, 100_000)] == [1, 1, 1, 2, 4]
    # other processes keep CPUs busy: workers only where CPUs are left free
    monkeypatch.setattr("os.getloadavg", lambda: (2.6, 0.0, 0.0))
    assert engine.auto_jobs(100_000) == 1
    monkeypatch.setattr("os.getloadavg", lambda: (2.4, 0.0, 0.0))
    assert engine.auto_jobs(100_000) == 2
    monkeypatch.setattr("os.getloadavg", lambda: (9.0, 0.0, 0.0))
    assert engine.auto_jobs(100_000) == 1
    monkeypatch.delattr("os.getloadavg")
    assert engine.auto_jobs(100_000) == 4


def test_cross_file_rules_respect_inline_suppressions(tmp_path: Path) -> None:
    (tmp_path / "a.mobileconfig").write_bytes(DUPLICATE)
    (tmp_path / "b.mobileconfig").write_bytes(
        DUPLICATE.replace(b"<plist", b"<!-- profilesmith: ignore STR005 -->\n<plist")
    )
    run = lint_targets(expand([str(tmp_path)]), options(select=("STR005", "STR006")))
    assert [(Path(f.path).name, f.rule) for f in run.findings] == [("b.mobileconfig", "STR006")]


def test_rule_hits_helper() -> None:
    assert rule_hits(lint_bytes(DUPLICATE), "STR001") == [(11, "/PayloadDescription")]


def test_default_options_have_no_platforms() -> None:
    assert LintOptions().platforms == frozenset()


def test_write_all_flushes_in_chunks_and_never_clobbers(tmp_path: Path) -> None:
    from profilesmith.base import files as writer

    items = [(str(tmp_path / f"{i:03}.mobileconfig"), f"data {i}".encode()) for i in range(600)]
    assert writer.write_all(items) == [path for path, _ in items]
    assert (tmp_path / "599.mobileconfig").read_bytes() == b"data 599"
    with pytest.raises(writer.OutputExists, match="exists"):
        writer.write_all([(str(tmp_path / "new.mobileconfig"), b"x"), items[0]])
    assert not (tmp_path / "new.mobileconfig").exists()
    # nothing else: no temporary files left behind
    expected = [f"{i:03}.mobileconfig" for i in range(600)]
    assert sorted(p.name for p in tmp_path.iterdir()) == expected


def test_unreadable_files_are_listed_as_unknown_and_exit_2(tmp_path: Path) -> None:
    import json

    (tmp_path / "good.mobileconfig").write_bytes(DUPLICATE)
    (tmp_path / "dangling.mobileconfig").symlink_to(tmp_path / "nowhere")
    (tmp_path / "noise.mobileconfig").write_bytes(bytes(range(7, 250)))
    result = run_cli("lint", "--format", "json", str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr == (
        f"profilesmith: {tmp_path / 'dangling.mobileconfig'}: cannot read "
        "(No such file or directory)\n"
    )
    files = json.loads(result.stdout)["files"]
    assert [(Path(f["path"]).name, f["format"]) for f in files] == [
        ("dangling.mobileconfig", "unknown"),
        ("good.mobileconfig", "xml"),
        ("noise.mobileconfig", "unknown"),
    ]


def test_schemas_are_not_validated_when_no_schema_rule_is_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from profilesmith.schema import check as schema_check

    calls: list[str] = []
    real = schema_check.check

    def counting(doc: object, platforms: object, **extra: object) -> object:
        calls.append("check")
        return real(doc, platforms, **extra)  # type: ignore[arg-type]

    monkeypatch.setattr(schema_check, "check", counting)
    lint_bytes(DUPLICATE, select=("STR",))
    assert calls == []
    assert rules_of(lint_bytes(DUPLICATE, select=("SCH", "STR"))) == ["STR003", "STR001"]
    assert calls == ["check"]
