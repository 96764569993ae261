"""``profilesmith format`` as a command: symlinks, standard input, --diff, --check, and
files that cannot be rewritten (a damaged signature is an error, not "signed")."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import plist, run_cli

MESSY = plist("<dict>\n  <key>B</key>\n  <true/>\n  <!-- why A -->\n  <key>A</key>\n"
              "  <integer>1</integer>\n</dict>")
TIDY = plist("<dict>\n\t<key>B</key>\n\t<true/>\n\t<!-- why A -->\n\t<key>A</key>\n"
             "\t<integer>1</integer>\n</dict>")


@pytest.fixture(autouse=True)
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_expected_layout() -> None:
    # the layout these tests expect: tabs, the comment and the key order kept
    assert TIDY.decode().splitlines()[3:10] == [
        "<dict>", "\t<key>B</key>", "\t<true/>", "\t<!-- why A -->", "\t<key>A</key>",
        "\t<integer>1</integer>", "</dict>"]


def test_a_symlink_s_target_is_rewritten_and_the_link_kept(workdir: Path) -> None:
    (workdir / "real").mkdir()
    target = workdir / "real" / "p.mobileconfig"
    target.write_bytes(MESSY)
    os.chmod(target, 0o640)
    link = workdir / "link.mobileconfig"
    link.symlink_to(Path("real") / "p.mobileconfig")
    result = run_cli("format", "link.mobileconfig")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == ("profilesmith: wrote real/p.mobileconfig (reformatted; through "
                             "the symlink link.mobileconfig)\n")
    assert link.is_symlink()
    assert os.readlink(link) == os.path.join("real", "p.mobileconfig")
    assert target.read_bytes() == TIDY
    assert target.stat().st_mode & 0o777 == 0o640  # the file's mode is kept
    assert run_cli("format", "link.mobileconfig").exit_code == 0


def test_standard_input_to_standard_output() -> None:
    result = run_cli("format", "-", input=MESSY)
    assert (result.exit_code, result.stdout_bytes, result.stderr) == (0, TIDY, "")
    # already canonical: the same bytes come out
    again = run_cli("format", "-", input=TIDY)
    assert (again.exit_code, again.stdout_bytes, again.stderr) == (0, TIDY, "")
    check = run_cli("format", "--check", "-", input=MESSY)
    assert (check.exit_code, check.stdout, check.stderr) == (1, "-: would be reformatted\n", "")
    broken = run_cli("format", "-", input=b"<plist><dict><key>A</key>")
    assert (broken.exit_code, broken.stdout_bytes) == (2, b"")
    assert broken.stderr.startswith("profilesmith: -:1:")
    assert broken.stderr.endswith("; left untouched\n")
    both = run_cli("format", "-", "a.mobileconfig", input=MESSY)
    assert (both.exit_code, both.stderr) == (
        2, "profilesmith: - (standard input) cannot be combined with files\n")


def test_diff_shows_the_change_and_writes_nothing(workdir: Path) -> None:
    path = workdir / "p.mobileconfig"
    path.write_bytes(MESSY)
    result = run_cli("format", "--diff", "p.mobileconfig")
    assert (result.exit_code, result.stderr) == (1, "")
    assert result.stdout == (
        "--- p.mobileconfig\n+++ p.mobileconfig\n@@ -2,10 +2,10 @@\n"
        ' <!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" '
        '"http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n'
        ' <plist version="1.0">\n <dict>\n'
        "-  <key>B</key>\n-  <true/>\n-  <!-- why A -->\n-  <key>A</key>\n"
        "-  <integer>1</integer>\n"
        "+\t<key>B</key>\n+\t<true/>\n+\t<!-- why A -->\n+\t<key>A</key>\n"
        "+\t<integer>1</integer>\n"
        " </dict>\n </plist>\n")
    assert path.read_bytes() == MESSY
    path.write_bytes(TIDY)
    assert run_cli("format", "--diff", "p.mobileconfig").output == ""
    assert run_cli("format", "--diff", "--check", "p.mobileconfig").stderr == (
        "profilesmith: give --check or --diff, not both\n")


def test_diff_of_a_binary_file_shows_the_whole_new_text(workdir: Path) -> None:
    import plistlib

    (workdir / "b.mobileconfig").write_bytes(plistlib.dumps({"A": 1}, fmt=plistlib.FMT_BINARY))
    result = run_cli("format", "--diff", "b.mobileconfig")
    assert (result.exit_code, result.stderr) == (1, "")
    new = plist("<dict>\n\t<key>A</key>\n\t<integer>1</integer>\n</dict>").decode()
    assert result.stdout == ("--- b.mobileconfig (binary)\n+++ b.mobileconfig\n"
                             "@@ -0,0 +1,8 @@\n"
                             + "".join(f"+{line}\n" for line in new.splitlines()))


def test_a_damaged_signature_is_an_error_not_a_signed_file(workdir: Path) -> None:
    # SEQUENCE of 1280 bytes announced, 15 there: the reader cannot open it
    damaged = b"\x30\x82\x05\x00\x06\x09*\x86H\x86\xf7\r\x01\x07\x02junk"
    (workdir / "d.mobileconfig").write_bytes(damaged)
    result = run_cli("format", "d.mobileconfig")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "profilesmith: d.mobileconfig: unreadable CMS structure (Insufficient data - 1280 "
        "bytes requested but only 15 available) (PAR013); left untouched\n")
    assert (workdir / "d.mobileconfig").read_bytes() == damaged


def test_json_documents_are_not_rewritten(workdir: Path) -> None:
    declaration = b'{"Type": "com.apple.configuration.passcode.settings", "Identifier": "x"}\n'
    (workdir / "d.json").write_bytes(declaration)
    result = run_cli("format", "d.json")
    assert (result.exit_code, result.stderr) == (
        2, "profilesmith: d.json: a JSON document, not a property list; left untouched "
           "(`profilesmith convert --to xml` converts it)\n")
    (workdir / "walk").mkdir()
    (workdir / "walk" / "d.json").write_bytes(declaration)
    walked = run_cli("format", "walk")
    assert (walked.exit_code, walked.output) == (0, "")
    assert (workdir / "walk" / "d.json").read_bytes() == declaration
