"""``build --rows``: one profile per row, all checked before anything is written."""

from __future__ import annotations

import json
import plistlib
from pathlib import Path

import pytest

from profilesmith.render.batch import BatchFailed, check_name, format_name, plan_batch
from profilesmith.render.build import Builder
from profilesmith.render.rows import read_rows
from profilesmith.render.templates import load_template
from profilesmith.render.values import ValuesError, load_all
from tests.conftest import lint_bytes, run_cli

TOPIC = "com.apple.mgmt.External.11111111-2222-3333-4444-555555555555"
VALUES = (
    "identifier: com.example.mdm\norganization: Acme\n"
    f"server_url: https://mdm.acme.test/mdm\ntopic: {TOPIC}\n"
    "scep:\n  url: https://scep.acme.test/scep\n  subject: O=Acme/CN=default\n"
)


def write_rows(path: Path, count: int, *, extra: str = "") -> None:
    lines = ["serial,scep.challenge,scep.subject,site,scep.keysize"]
    lines += [f"C02{i:05d},challenge-{i},O=Acme/CN=C02{i:05d},hq,{4096 if i % 2 else ''}"
              for i in range(count)]
    path.write_text("\n".join(lines) + "\n" + extra)


@pytest.fixture
def batch_dir(tmp_path: Path) -> Path:
    (tmp_path / "v.yaml").write_text(VALUES)
    write_rows(tmp_path / "rows.csv", 40)
    return tmp_path


def run_batch(directory: Path, *extra: str, rows: str = "rows.csv",
              name: str = "{site}/{serial}.mobileconfig") -> tuple[int, str]:
    result = run_cli("build", "enrollment", "--values", str(directory / "v.yaml"),
                     "--rows", str(directory / rows), "--output-dir", str(directory / "out"),
                     "--name", name, *extra)
    return result.exit_code, result.stderr


def test_batch_builds_every_row(batch_dir: Path) -> None:
    code, stderr = run_batch(batch_dir, "--set", "scep.subject=O=Acme/CN=overridden-by-rows")
    assert code == 0, stderr
    assert stderr.splitlines()[-1] == (
        f"profilesmith: wrote 40 profile(s) into {batch_dir / 'out'} (built from 40 row(s))")
    assert "building" not in stderr  # no progress bar when stderr is not a terminal
    files = sorted((batch_dir / "out" / "hq").iterdir())
    assert [f.name for f in files] == [f"C02{i:05d}.mobileconfig" for i in range(40)]
    uuids = set()
    for index, path in enumerate(files):
        data = path.read_bytes()
        assert [f for f in lint_bytes(data) if f.severity.value == "error"] == []
        root = plistlib.loads(data)
        scep = root["PayloadContent"][0]["PayloadContent"]
        assert scep["Challenge"] == f"challenge-{index}"
        assert scep["Subject"] == [[["O", "Acme"]], [["CN", f"C02{index:05d}"]]]
        assert scep["Keysize"] == (4096 if index % 2 else 2048)  # empty cell: the default
        uuids.add(root["PayloadUUID"])
    assert len(uuids) == 40


def test_uuids_do_not_depend_on_row_order(batch_dir: Path, tmp_path: Path) -> None:
    assert run_batch(batch_dir)[0] == 0
    lines = (batch_dir / "rows.csv").read_text().splitlines()
    (batch_dir / "reversed.csv").write_text("\n".join([lines[0], *reversed(lines[1:])]) + "\n")
    first = {p.name: p.read_bytes() for p in (batch_dir / "out" / "hq").iterdir()}
    code, stderr = run_batch(batch_dir, "--force", rows="reversed.csv")
    assert code == 0, stderr
    second = {p.name: p.read_bytes() for p in (batch_dir / "out" / "hq").iterdir()}
    assert first == second


def test_nothing_is_written_when_a_row_is_bad(batch_dir: Path) -> None:
    write_rows(batch_dir / "rows.csv", 5, extra="C0299999,x,O=Acme/CN=x,hq,3000\n")
    code, stderr = run_batch(batch_dir)
    assert code == 2
    assert stderr.splitlines() == [
        f"profilesmith: {batch_dir / 'rows.csv'}:7 (row 6): scep.keysize: must be one of "
        "1024, 2048, 4096 (got 3000)",
        "profilesmith: nothing was written",
    ]
    assert not (batch_dir / "out").exists()


def test_lint_errors_in_a_row_stop_the_batch(batch_dir: Path) -> None:
    template = batch_dir / "t.mobileconfig.j2"
    template.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0">\n<dict>\n'
        "<key>PayloadType</key><string>Configuration</string>\n"
        "<key>PayloadIdentifier</key><string>com.example.t</string>\n"
        "<key>PayloadUUID</key>{{ payload_uuid('com.example.t') | plist }}\n"
        "<key>PayloadVersion</key>{{ version | plist }}\n"
        "<key>PayloadContent</key><array/>\n</dict>\n</plist>\n")
    (batch_dir / "r.csv").write_text("version,serial\n1,a\n2,b\n1,c\n")
    result = run_cli("build", str(template), "--rows", str(batch_dir / "r.csv"),
                     "--output-dir", str(batch_dir / "out"), "--name", "{serial}.mobileconfig")
    # without a values schema, CSV cells stay text: PayloadVersion is a <string> everywhere
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[1].startswith(f"profilesmith: {batch_dir / 'r.csv'}:3 (row 2, b.mobileconfig): "
                               f"{template}:7: error SCH001 ")
    assert lines[1].endswith(" (at /PayloadVersion)")
    assert len(lines) == 4
    assert not (batch_dir / "out").exists()


@pytest.mark.parametrize(("pattern", "message"), [
    ("{site}.mobileconfig", "output hq.mobileconfig has the same name as row 1"),
    ("../{serial}.mobileconfig", "must stay inside --output-dir"),
    ("/tmp/{serial}.mobileconfig", "must be a relative path"),
    ("{nope}.mobileconfig", "--name uses {nope}, which this row does not have"),
])
def test_bad_names_are_refused(batch_dir: Path, pattern: str, message: str) -> None:
    code, stderr = run_batch(batch_dir, name=pattern)
    assert code == 2
    assert message in stderr
    assert not (batch_dir / "out").exists()


def test_case_insensitive_collisions_and_values_in_names(batch_dir: Path) -> None:
    (batch_dir / "r.csv").write_text("serial\nabc\nABC\n")
    code, stderr = run_batch(batch_dir, rows="r.csv", name="{serial}.mobileconfig")
    assert code == 2
    assert "output ABC.mobileconfig has a colliding name (abc.mobileconfig) as row 1" in stderr
    (batch_dir / "r.csv").write_text("serial\na/b\n")
    code, stderr = run_batch(batch_dir, rows="r.csv", name="{serial}.mobileconfig")
    assert code == 2
    assert "{serial} = 'a/b' cannot be part of a file name" in stderr
    # template values (dotted) are usable in names too; {row} is the row number
    (batch_dir / "r.csv").write_text("serial\nx1\n")
    code, stderr = run_batch(batch_dir, rows="r.csv", name="{organization}-{row}-{serial}.plist")
    assert code == 0, stderr
    assert (batch_dir / "out" / "Acme-1-x1.plist").is_file()


def test_existing_outputs_need_force(batch_dir: Path) -> None:
    (batch_dir / "out" / "hq").mkdir(parents=True)
    (batch_dir / "out" / "hq" / "C0200003.mobileconfig").write_bytes(b"old")
    code, stderr = run_batch(batch_dir)
    assert code == 2
    assert f"{batch_dir / 'out' / 'hq' / 'C0200003.mobileconfig'}: exists (use --force" in stderr
    assert sorted(p.name for p in (batch_dir / "out" / "hq").iterdir()) == [
        "C0200003.mobileconfig"]
    code, stderr = run_batch(batch_dir, "--force")
    assert code == 0, stderr
    assert len(list((batch_dir / "out" / "hq").iterdir())) == 40


def test_json_lines_rows(batch_dir: Path) -> None:
    rows = [{"serial": "j1", "scep": {"challenge": "c1"}, "access_rights": 1028},
            {"serial": "j2", "scep.challenge": "c2", "access_rights": "4095"}]
    (batch_dir / "r.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n\n")
    code, stderr = run_batch(batch_dir, rows="r.jsonl", name="{serial}.mobileconfig")
    assert code == 0, stderr
    one = plistlib.loads((batch_dir / "out" / "j1.mobileconfig").read_bytes())
    two = plistlib.loads((batch_dir / "out" / "j2.mobileconfig").read_bytes())
    assert one["PayloadContent"][0]["PayloadContent"]["Challenge"] == "c1"
    assert two["PayloadContent"][0]["PayloadContent"]["Challenge"] == "c2"
    assert (one["PayloadContent"][1]["AccessRights"],
            two["PayloadContent"][1]["AccessRights"]) == (1028, 4095)


def test_rows_file_problems(tmp_path: Path) -> None:
    cases = {
        "a.csv": ("x,x\n1,2\n", "a.csv:1: column 'x' appears twice"),
        "b.csv": ("x,y\n1\n", "b.csv:2: 1 cells, but the header has 2 columns"),
        "c.csv": ("x\n", "c.csv: no rows"),
        "d.jsonl": ('{"a": 1}\n[1]\n', "d.jsonl:2: invalid JSON line (each line must be a "
                    "JSON object)"),
    }
    for name, (text, message) in cases.items():
        (tmp_path / name).write_text(text)
        with pytest.raises(ValuesError) as caught:
            read_rows(str(tmp_path / name))
        assert caught.value.problems == [f"{tmp_path / message}"]


def test_names() -> None:
    assert format_name("{a}-{{x}}.plist", {"a": "1"}, where="w") == "1-{x}.plist"
    assert check_name("a/b.plist", where="w") == "a/b.plist"
    for bad in ("", "a//b", "./a", "C:x", "a/../b", "\\x"):
        with pytest.raises(ValuesError):
            check_name(bad, where="w")


def test_core_batch_api_without_the_cli(batch_dir: Path) -> None:
    """What a benchmark calls: plan (render + lint, nothing written), then write."""
    from profilesmith.render.batch import write_batch

    builder = Builder(load_template("enrollment"))
    rows = read_rows(str(batch_dir / "rows.csv"))
    progress: list[int] = []
    result = plan_batch(builder, load_all([str(batch_dir / "v.yaml")], [], []), rows,
                        rows_path="rows.csv", name_pattern="{serial}.mobileconfig",
                        output_dir=str(batch_dir / "out"), progress=progress.append)
    assert len(result.outputs) == result.rows == 40
    assert progress == [1] * 40
    assert not (batch_dir / "out").exists()
    written = write_batch(result, str(batch_dir / "out"))
    assert len(written) == 40
    with pytest.raises(BatchFailed) as caught:
        plan_batch(builder, load_all([str(batch_dir / "v.yaml")], [], []), rows,
                   rows_path="rows.csv", name_pattern="{serial}.mobileconfig",
                   output_dir=str(batch_dir / "out"))
    assert len(caught.value.lines) == 40  # every existing output is named


def test_workers_build_the_same_bytes_and_report_the_same_failures(batch_dir: Path) -> None:
    builder = Builder(load_template("enrollment"))
    rows = read_rows(str(batch_dir / "rows.csv"))
    base = load_all([str(batch_dir / "v.yaml")], [], [])

    def plan(jobs: int) -> list[tuple[str, bytes]]:
        result = plan_batch(builder, base, rows, rows_path="rows.csv",
                            name_pattern="{serial}.mobileconfig",
                            output_dir=str(batch_dir / "out"), jobs=jobs)
        return [(output.name, output.data) for output in result.outputs]

    serial = plan(1)
    assert plan(2) == serial
    assert len(serial) == 40
    # a row whose rendered profile has a lint error: the same message from a worker as
    # from this process
    template = batch_dir / "t.mobileconfig.j2"
    template.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0">\n<dict>\n'
        "<key>PayloadType</key><string>Configuration</string>\n"
        "<key>PayloadIdentifier</key><string>com.example.t</string>\n"
        "<key>PayloadUUID</key>{{ payload_uuid('com.example.t') | plist }}\n"
        "<key>PayloadVersion</key><integer>{{ version }}</integer>\n"
        "<key>PayloadContent</key><array/>\n</dict>\n</plist>\n")
    (batch_dir / "t.csv").write_text("version,serial\n1,a\nx,b\n1,c\n")
    plain = Builder(load_template(str(template)))
    messages = []
    for jobs in (1, 2):
        with pytest.raises(BatchFailed) as caught:
            plan_batch(plain, load_all([], [], []), read_rows(str(batch_dir / "t.csv")),
                       rows_path="t.csv", name_pattern="{serial}.mobileconfig",
                       output_dir=str(batch_dir / "out"), jobs=jobs)
        assert caught.value.lint_errors
        messages.append(caught.value.lines)
    assert messages[0] == messages[1]
    assert len(messages[0]) == 1
    assert messages[0][0].startswith("t.csv:3 (row 2, b.mobileconfig): ")
    assert " error PAR007 " in messages[0][0]


def test_progress_bar_when_stderr_is_a_terminal(batch_dir: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("profilesmith.cli.build.is_terminal", lambda stream: True)
    code, stderr = run_batch(batch_dir)
    assert code == 0, stderr
    assert "building" in stderr
    assert stderr.splitlines()[-1] == (
        f"profilesmith: wrote 40 profile(s) into {batch_dir / 'out'} (built from 40 row(s))")
    assert len(list((batch_dir / "out" / "hq").iterdir())) == 40


def test_batch_failed_carries_lines_and_lint_errors() -> None:
    from profilesmith.render.build import BuildFailed

    failed = BatchFailed(["one", "two"], lint_errors=True)
    assert isinstance(failed, BuildFailed)
    assert (failed.lines, failed.lint_errors, str(failed)) == (["one", "two"], True, "one\ntwo")
    assert BatchFailed(["x"]).lint_errors is False
