"""Templates bounded in time and size: refused up front with one line naming the
template (and, in a --rows batch, the row), before the memory is taken."""

from __future__ import annotations

from pathlib import Path

import pytest

from profilesmith.render import sandbox
from tests.conftest import FIXTURES, run_cli

HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0"><dict>\n'
TAIL = "</dict></plist>\n"


PROFILE_KEYS = ("<key>PayloadContent</key><array/>\n<key>PayloadIdentifier</key>"
                "<string>com.example.t</string>\n<key>PayloadType</key><string>"
                "Configuration</string>\n<key>PayloadUUID</key><string>{{ "
                "payload_uuid('x') }}</string>\n<key>PayloadVersion</key><integer>1"
                "</integer>\n")


def build(tmp_path: Path, body: str) -> tuple[int, str]:
    template = tmp_path / "t.j2"
    template.write_text(HEAD + body + "\n" + TAIL)
    result = run_cli("build", str(template))
    return result.exit_code, result.stderr


REFUSED = [
    ("{{ 'a' * 10**9 }}", "'*' repeating str 1,000,000,000 times would make 1,000,000,000 "
                          "characters (at most 67,108,864)"),
    ("{{ 10 * 'a' * 10**8 }}", "'*' repeating str 100,000,000 times would make "
                               "1,000,000,000 characters (at most 67,108,864)"),
    ("{{ [1, 2] * 10**6 }}", "'*' repeating list 1,000,000 times would make 2,000,000 items "
                             "(at most 1,000,000)"),
    ("{{ 10 ** (10 ** 10) }}", "'**' makes an integer of more than 8192 bits "
                               "(10 ** 10000000000)"),
    ("{{ '%*d' % (10**9, 1) }}", "'%' formatting with a '*' width or precision"),
    ("{{ '%999999999d' % 1 }}", "'%' formatting would make 1,000,000,010 characters "
                                "(at most 67,108,864)"),
    ("{{ '{:>999999999}'.format(1) }}", "'{:>999999999}'.format() would make 1,000,000,012 "
                                        "characters (at most 67,108,864)"),
    ("{{ 'a'.center(10**9) }}", "str.center() would make 1,000,000,000 characters "
                                "(at most 67,108,864)"),
    ("{{ 'a'.zfill(10**9) }}", "str.zfill() would make 1,000,000,000 characters "
                               "(at most 67,108,864)"),
    ("{{ 'a\tb'.expandtabs(10**9) }}", "str.expandtabs() would make 1,000,000,003 characters "
                                       "(at most 67,108,864)"),
    ("{{ 'ab'.replace('', 'x' * 10**8) }}", "'*' repeating str 100,000,000 times would make "
                                            "100,000,000 characters (at most 67,108,864)"),
    ("{{ 'abc'.replace('', 'x' * 30000000) }}", "str.replace() would make 120,000,003 "
                                                "characters (at most 67,108,864)"),
    ("{{ 'a'|center(10**9) }}", "the 'center' filter would make 1,000,000,000 characters "
                                "(at most 67,108,864)"),
    ("{{ 'x'|indent(10**8) }}", "the 'indent' filter would make 100,000,001 characters "
                                "(at most 67,108,864)"),
    ("{{ [1, 2]|batch(10**9)|list }}", "the 'batch' filter would make 1,000,000,000 items "
                                       "(at most 1,000,000)"),
    ("{{ '%999999999d'|format(1) }}", "the 'format' filter would make 1,000,000,010 "
                                      "characters (at most 67,108,864)"),
    ("{{ range(10**9)|list|length }}", "range() of 1,000,000,000 numbers (at most 100,000)"),
    ("{% set ns = namespace(s='ab') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}"
     "{% endfor %}", "'~' would make 134,217,728 characters (at most 67,108,864)"),
    ("{% set ns = namespace(s=[1]) %}{% for i in range(30) %}{% do ns.s.extend(ns.s) %}"
     "{% endfor %}", "list.extend() would make 1,048,576 items (at most 1,000,000)"),
]


@pytest.mark.parametrize(("body", "message"), REFUSED)
def test_refused_up_front(tmp_path: Path, body: str, message: str) -> None:
    code, stderr = build(tmp_path, body)
    assert code == 2
    assert stderr == f"profilesmith: {tmp_path / 't.j2'}:3: refused by the template " \
                     f"sandbox: {message}\n"


def test_macro_recursion_is_refused_on_its_line(tmp_path: Path) -> None:
    code, stderr = build(tmp_path, "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}\n{{ f(1) }}")
    assert code == 2
    assert stderr == f"profilesmith: {tmp_path / 't.j2'}:3: refused by the template " \
                     "sandbox: macros or loops nest too deep (a macro calling itself " \
                     "without end?)\n"


def test_output_size_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sandbox.BoundedEnvironment, "max_output", 10_000)
    code, stderr = build(tmp_path, "{% for i in range(100000) %}xxxxxxxxxx{% endfor %}")
    assert code == 2
    assert stderr == f"profilesmith: {tmp_path / 't.j2'}: refused by the template sandbox: " \
                     "the rendered text passes 10,000 characters (the largest file " \
                     "profilesmith reads)\n"


@pytest.mark.parametrize("body", [
    # an empty loop body: only the loop itself can read the clock
    "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    "{% for i in range(100000) %}{% for j in range(100000) %}{{ j }}{% endfor %}{% endfor %}",
    "{% for i in range(100000) %}{% for j in range(100000) %}{% set x = i * j %}{% endfor %}"
    "{% endfor %}",
])
def test_time_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str) -> None:
    monkeypatch.setattr(sandbox.BoundedEnvironment, "time_budget", 0.05)
    code, stderr = build(tmp_path, body)
    assert code == 2
    assert stderr.startswith(f"profilesmith: {tmp_path / 't.j2'}")
    assert stderr.endswith(": refused by the template sandbox: rendering took longer than "
                           "0.05 seconds (a loop or a computation too large)\n")


def test_within_the_bounds_renders(tmp_path: Path) -> None:
    template = tmp_path / "t.j2"
    template.write_text(HEAD + "<key>PayloadDisplayName"
                        "</key><string>{{ ('ab' * 3)|center(10) ~ '%3d' % 7 ~ (2 ** 64) "
                        "~ range(3)|join(',') }}</string>\n" + PROFILE_KEYS + TAIL)
    result = run_cli("build", str(template))
    assert result.exit_code == 0, result.stderr
    assert b"<string>  ababab    7184467440737095516160,1,2</string>" in result.stdout_bytes


def test_rows_batch_names_the_row(tmp_path: Path) -> None:
    template = tmp_path / "t.j2"
    template.write_text(HEAD + "<key>PayloadDisplayName</key><string>{{ 'a' * count|int }}"
                        "</string>\n" + PROFILE_KEYS + TAIL)
    rows = tmp_path / "rows.csv"
    rows.write_text("name,count\nfirst,1\nsecond,1000000000\n")
    result = run_cli("build", str(template), "--rows", str(rows), "--output-dir",
                     str(tmp_path / "out"), "--name", "{name}.mobileconfig")
    assert result.exit_code == 2
    assert f"profilesmith: {rows}:3 (row 2, second.mobileconfig): {template}:3: refused by " \
           "the template sandbox: '*' repeating str 1,000,000,000 times would make " \
           "1,000,000,000 characters (at most 67,108,864)" in result.stderr.splitlines()
    assert not (tmp_path / "out").exists()


# found by tests/render/test_sandbox_properties.py: Jinja's truncate asserts its length,
# wordwrap calls str methods on any value (both reached the user as "internal error")
@pytest.mark.parametrize(("name", "message"), [
    ("truncate-zero", "the 'truncate' filter cannot take these arguments"),
    ("wordwrap-int", "the 'wordwrap' filter cannot take these arguments"),
    # str.join took 2 GB before the method was measured
    ("str-join", "refused by the template sandbox: str.join() would make 999,001,000 "
                 "characters (at most 67,108,864)"),
])
def test_fuzz_regressions(name: str, message: str) -> None:
    fixture = FIXTURES / "fuzz" / f"{name}.j2"
    result = run_cli("build", str(fixture))
    assert result.exit_code == 2
    assert result.stderr == f"profilesmith: {fixture}:3: {message}\n"
