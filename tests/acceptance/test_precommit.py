"""The real pre-commit runs this project's hooks (.pre-commit-hooks.yaml) with
``pre-commit try-repo`` in a temporary git repository.

try-repo clones the hook repository, builds a virtualenv and pip-installs the project
into it (dependencies from the package index), as a user's pre-commit would. The hook
repository is a snapshot of this checkout (see ``snapshot_checkout``), so the test
covers the files on disk, committed or not.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.acceptance_helpers import (
    PROFILES,
    child_env,
    git,
    openssl_sign,
    snapshot_checkout,
    variant,
)

pytestmark = pytest.mark.slow

INFO_PLIST = """\
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
    <key>CFBundleIdentifier</key>
    <string>com.example.app</string>
    <key>CFBundleName</key>
    <string>Example</string>
</dict>
</plist>
"""


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if importlib.util.find_spec("pre_commit") is None:
        pytest.skip("pre-commit is not installed (pip install -e '.[test]')")
    return snapshot_checkout(tmp_path_factory.mktemp("hooks") / "profilesmith")


@pytest.fixture
def target(tmp_path: Path) -> Path:
    """A repository holding a good profile, a signed one (binary DER, with a warning so
    that it shows in the output), an app's Info.plist and a text file."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    repo = tmp_path / "target"
    repo.mkdir()
    good = (PROFILES / "good.mobileconfig").read_text()
    (repo / "good.mobileconfig").write_text(good)
    signed_source = variant(good, "signed").replace(
        "0E5D2C7B-9A41-4F3E-8B6C-7369676E6564", "signed-outer-uuid")
    signed = openssl_sign(signed_source.encode(), tmp_path / "pki")
    assert signed[:1] == b"\x30"  # DER
    assert b"\x00" in signed  # so pre-commit's identify calls it binary, not text
    (repo / "profiles").mkdir()
    (repo / "profiles" / "Signed.MOBILECONFIG").write_bytes(signed)
    (repo / "Info.plist").write_text(INFO_PLIST)
    (repo / "notes.txt").write_text("not a profile\n")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    return repo


def try_repo(hook_repo: Path, hook: str, target: Path, home: Path) -> tuple[int, str]:
    proc = subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo), hook,
         "--all-files", "--color", "never"],
        cwd=target, env=child_env(PRE_COMMIT_HOME=str(home)), capture_output=True,
        text=True, timeout=900, check=False,
    )
    return proc.returncode, proc.stdout + proc.stderr


def test_lint_hook_fails_on_a_bad_profile_and_passes_without_it(
    hook_repo: Path, target: Path, tmp_path: Path
) -> None:
    shutil.copy(PROFILES / "bad.mobileconfig", target / "bad.mobileconfig")
    git(target, "add", "bad.mobileconfig")
    code, output = try_repo(hook_repo, "profilesmith-lint", target, tmp_path / "home")
    assert code == 1, output
    assert re.search(r"^profilesmith lint\.+Failed$", output, re.M), output
    assert "- hook id: profilesmith-lint" in output
    assert ("bad.mobileconfig:20:4: error STR001 duplicate key 'allowCamera': one of its "
            "values is dropped") in output
    # the signed (binary) profile was linted too: its warning is in the output
    assert re.search(r"^profiles/Signed\.MOBILECONFIG(:\d+)*: warning STR003 PayloadUUID "
                     r"'signed-outer-uuid' is not a UUID$", output, re.M), output
    errors = re.findall(r"^(\S+?)(?::\d+)*: error ", output, re.M)
    assert set(errors) == {"bad.mobileconfig"}, output

    git(target, "rm", "-q", "--cached", "bad.mobileconfig")
    (target / "bad.mobileconfig").unlink()
    code, output = try_repo(hook_repo, "profilesmith-lint", target, tmp_path / "home")
    assert code == 0, output
    assert re.search(r"^profilesmith lint\.+Passed$", output, re.M), output


def test_format_hook_rewrites_unsigned_profiles_only(
    hook_repo: Path, target: Path, tmp_path: Path
) -> None:
    messy = (PROFILES / "good.mobileconfig").read_text().replace("\t", "  ")
    (target / "good.mobileconfig").write_text(messy)
    git(target, "add", "good.mobileconfig")
    before = {p: p.read_bytes() for p in (target / "profiles" / "Signed.MOBILECONFIG",
                                          target / "Info.plist", target / "notes.txt")}
    code, output = try_repo(hook_repo, "profilesmith-format", target, tmp_path / "home")
    assert code == 1, output  # pre-commit fails a hook that changed files
    assert "- files were modified by this hook" in output
    assert (target / "good.mobileconfig").read_text() != messy
    assert {p: p.read_bytes() for p in before} == before, "signed profile or Info.plist changed"
    git(target, "add", "-A")
    code, output = try_repo(hook_repo, "profilesmith-format", target, tmp_path / "home")
    assert code == 0, output  # canonical output is a fixed point


def test_lint_hook_sees_every_file_at_once(hook_repo: Path, tmp_path: Path) -> None:
    """Cross-file rules need the whole set: pre-commit splits the files of a hook that is
    not serial into one batch per CPU (shuffled), and the second file of a pair sharing a
    PayloadIdentifier may land in another batch than the first."""
    repo = tmp_path / "pairs"
    repo.mkdir()
    good = (PROFILES / "good.mobileconfig").read_text()
    names = [f"p{i}.mobileconfig" for i in range(8)]
    for index, name in enumerate(names):
        text = variant(good, f"file{index}").replace(
            f"com.example.file{index}", f"com.example.pair{index // 2}")
        (repo / name).write_text(text)
    # this repository holds no two profiles with one identifier: an error here
    (repo / ".profilesmith.toml").write_text('[severity]\nSTR005 = "error"\n')
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    code, output = try_repo(hook_repo, "profilesmith-lint", repo, tmp_path / "home")
    assert code == 1, output
    found = re.findall(r"^(p\d)\.mobileconfig(?::\d+)*: error STR005 PayloadIdentifier "
                       r"'com\.example\.pair(\d)' is also the identifier of "
                       r"(p\d)\.mobileconfig$", output, re.M)
    assert sorted(found) == [("p1", "0", "p0"), ("p3", "1", "p2"), ("p5", "2", "p4"),
                             ("p7", "3", "p6")], output
    assert "8 files checked: 4 error(s)" in output
