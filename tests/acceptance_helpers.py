"""Helpers of the slow acceptance tests (pre-commit, wheel): a snapshot of this checkout
as its own git repository, a profile signed by openssl, an environment for children."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PROFILES = Path(__file__).parent / "data" / "profiles"

# What building and installing the project needs (pyproject.toml's sdist list, less tests)
PROJECT_FILES = ("pyproject.toml", "README.md", "LICENSE", "NOTICE", ".pre-commit-hooks.yaml")
PROJECT_DIRS = ("src", "schemas", "templates")

GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "profilesmith tests", "GIT_AUTHOR_EMAIL": "tests@example.invalid",
    "GIT_COMMITTER_NAME": "profilesmith tests", "GIT_COMMITTER_EMAIL": "tests@example.invalid",
}


def child_env(**changes: str) -> dict[str, str]:
    """The environment for a child process: no CI, colour, or Python path settings of
    this run leak into it (a checkout on PYTHONPATH would defeat the wheel test)."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "NO_COLOR", "PYTHONPATH",
                        "PYTHONHOME", "VIRTUAL_ENV", "PRE_COMMIT_HOME", "SKIP")
           and not k.startswith("GIT_")}
    env.update(GIT_IDENTITY)
    env.update(changes)
    return env


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, env=child_env(), check=True,
                          capture_output=True, text=True).stdout


def snapshot_checkout(dest: Path) -> Path:
    """This checkout's project files as they are now (committed or not) in a fresh
    one-commit git repository.

    ``pre-commit try-repo`` on the checkout itself would see only committed files and
    changes to tracked ones (its shadow commit leaves untracked files out), so a new
    hook file would be missing until committed; a snapshot tests what is on disk.
    """
    dest.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", ".mypy_cache")
    for name in PROJECT_FILES:
        if (REPO / name).exists():
            shutil.copy2(REPO / name, dest / name)
    for name in PROJECT_DIRS:
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, dest / name, symlinks=True, ignore=ignore)
    git(dest, "init", "-q")
    git(dest, "add", "-A")
    git(dest, "commit", "-q", "-m", "snapshot of the checkout")
    return dest


def openssl_sign(content: bytes, workdir: Path) -> bytes:
    """``content`` signed as Apple's tools sign profiles: CMS SignedData, content
    attached, DER. The key and certificate are made here and thrown away."""
    workdir.mkdir(parents=True, exist_ok=True)
    key, cert = workdir / "signer.key", workdir / "signer.pem"
    source, signed = workdir / "unsigned.mobileconfig", workdir / "signed.der"
    source.write_bytes(content)

    def openssl(*args: str) -> None:
        subprocess.run(["openssl", *args], cwd=workdir, check=True, capture_output=True)

    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "400",
            "-subj", "/O=profilesmith tests/CN=throwaway signer",
            "-keyout", str(key), "-out", str(cert))
    openssl("cms", "-sign", "-nodetach", "-binary", "-outform", "DER", "-md", "sha256",
            "-in", str(source), "-signer", str(cert), "-inkey", str(key), "-out", str(signed))
    return signed.read_bytes()


def variant(text: str, tag: str) -> str:
    """good.mobileconfig with its own identifier and UUIDs, so that several variants in
    one run do not share them (which cross-file rules would rightly report)."""
    return (text.replace("com.example.restrictions", f"com.example.{tag}")
                .replace("7A1C6C1E-3F2B-4C55-9E0B-2D6B8F1A4C11",
                         f"7A1C6C1E-3F2B-4C55-9E0B-{tag.encode().hex()[:12].upper():0>12}")
                .replace("0E5D2C7B-9A41-4F3E-8B6C-5A2D1E9F7B23",
                         f"0E5D2C7B-9A41-4F3E-8B6C-{tag.encode().hex()[-12:].upper():0>12}"))
