"""Packaging: the wheel, installed in a fresh virtualenv outside the checkout, works and
carries schemas/ and templates/; a one-file lint imports none of the heavy libraries.

The wheel tests are slow (they build, create a venv and install the dependencies from
the package index, reusing pip's cache); the import test is not.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from profilesmith import __version__
from tests.acceptance_helpers import (
    PROFILES,
    REPO,
    child_env,
    openssl_sign,
    snapshot_checkout,
    variant,
)


@dataclass
class Installed:
    venv: Path
    work: Path  # a directory outside the checkout, with profiles in it

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(self.venv / "bin" / args[0]), *args[1:]], cwd=self.work,
                              env=child_env(), capture_output=True, text=True, timeout=300,
                              check=False)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    base = tmp_path_factory.mktemp("wheel")
    assert not base.resolve().is_relative_to(REPO)
    source = snapshot_checkout(base / "source")
    dist = base / "dist"
    build = subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(dist),
                            str(source)], env=child_env(), capture_output=True, text=True,
                           timeout=600, check=False)
    assert build.returncode == 0, build.stdout + build.stderr
    (wheel,) = dist.glob("profilesmith-*.whl")
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    install = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q",
                              str(wheel)], env=child_env(), capture_output=True, text=True,
                             timeout=900, check=False)
    assert install.returncode == 0, install.stdout + install.stderr
    work = base / "work"
    work.mkdir()
    good = (PROFILES / "good.mobileconfig").read_text()
    (work / "good.mobileconfig").write_text(good)
    (work / "bad.mobileconfig").write_bytes((PROFILES / "bad.mobileconfig").read_bytes())
    (work / "signed.mobileconfig").write_bytes(
        openssl_sign(variant(good, "wheel").encode(), base / "pki"))
    return Installed(venv, work)


@pytest.mark.slow
def test_installed_cli_runs_outside_the_checkout(installed: Installed) -> None:
    version = installed.run("profilesmith", "--version")
    assert (version.returncode, version.stdout) == (0, f"profilesmith, version {__version__}\n")
    module = installed.run("python", "-m", "profilesmith", "--version")
    assert module.stdout == version.stdout

    good = installed.run("profilesmith", "lint", "good.mobileconfig")
    assert good.returncode == 0, good.stdout + good.stderr
    assert good.stdout.splitlines()[-1].startswith("1 file checked: ")
    assert ": error " not in good.stdout

    bad = installed.run("profilesmith", "lint", "--format", "json", ".")
    assert bad.returncode == 1, bad.stderr
    report = json.loads(bad.stdout)
    assert [(f["path"], f["rule"], f["line"]) for f in report["findings"]
            if f["severity"] == "error"] == [("./bad.mobileconfig", "STR001", 20)]
    files = {f["path"]: (f["format"], f["signed"]) for f in report["files"]}
    assert files == {"./bad.mobileconfig": ("xml", False), "./good.mobileconfig": ("xml", False),
                     "./signed.mobileconfig": ("cms", True)}

    rules = installed.run("profilesmith", "rules")
    assert rules.returncode == 0
    assert "STR001  error    A dictionary holds the same key twice." in rules.stdout.splitlines()


@pytest.mark.slow
def test_installed_package_carries_schemas_and_templates(installed: Installed) -> None:
    probe = textwrap.dedent("""
        import json, profilesmith
        from importlib.resources import files
        def walk(node, prefix=""):
            for child in node.iterdir():
                if child.is_dir():
                    yield from walk(child, prefix + child.name + "/")
                else:
                    yield prefix + child.name
        data = files("profilesmith") / "_data"
        print(json.dumps({"module": profilesmith.__file__,
                          "typed": (files("profilesmith") / "py.typed").is_file(),
                          "schemas": sorted(walk(data / "schemas")),
                          "templates": sorted(walk(data / "templates"))}))
    """)
    proc = installed.run("python", "-c", probe)
    assert proc.returncode == 0, proc.stderr
    found = json.loads(proc.stdout)
    assert Path(found["module"]).is_relative_to(installed.venv)  # not the checkout
    assert found["typed"]  # py.typed: type checkers use the API's annotations
    for name in ("schemas", "templates"):
        shipped = sorted(str(p.relative_to(REPO / name)) for p in (REPO / name).rglob("*")
                         if p.is_file() and "__pycache__" not in p.parts)
        assert found[name] == shipped, name
        assert found[name], f"the wheel has no {name}"


@pytest.mark.slow
def test_installed_without_the_lsp_extra_lsp_says_how_to_get_it(installed: Installed) -> None:
    done = installed.run("profilesmith", "lsp")
    assert (done.returncode, done.stdout, done.stderr) == (
        2, "", "profilesmith: the lsp command needs pygls: pip install 'profilesmith[lsp]'\n")


# -- import budget (README, "Performance"): not slow, runs in the development environment --------

HEAVY = ("jinja2", "cryptography", "jsonschema", "asn1crypto")

PROBE = """
import json, sys
from profilesmith.cli import main
try:
    main(["lint", sys.argv[1]])
except SystemExit as exc:
    code = exc.code
print("\\n@@" + json.dumps({"exit": code, "modules": sorted(sys.modules)}))
"""


def test_one_file_lint_imports_no_heavy_library(tmp_path: Path) -> None:
    profile = tmp_path / "plain.mobileconfig"
    profile.write_bytes((PROFILES / "good.mobileconfig").read_bytes())
    proc = subprocess.run([sys.executable, "-c", PROBE, str(profile)], cwd=tmp_path,
                          env=child_env(), capture_output=True,
                          text=True, timeout=120, check=False)
    out, _, tail = proc.stdout.rpartition("\n@@")
    result = json.loads(tail)
    assert result["exit"] == 0, out + proc.stderr
    assert "1 file checked" in out  # the lint really ran
    assert "profilesmith.lint.engine" in result["modules"]
    loaded = sorted(m for m in result["modules"]
                    if any(m == name or m.startswith(name + ".") for name in HEAVY))
    assert loaded == []
