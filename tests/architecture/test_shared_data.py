"""The tests find the shared data (Apple's schema data, seeds, the real-world corpus)
through ``$PROFILESMITH_SHARED`` as well as ``../shared``: a fresh clone elsewhere runs
them by setting the variable, and without either they skip naming both ways."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.acceptance_helpers import child_env
from tests.conftest import REPO, SHARED_ENV, need_shared

# a quick test that reads the shared data (two of Apple's command pages)
PROBE = "tests/mdm/test_rights.py::test_the_data_agrees_with_apple_s_command_pages"


def _pytest(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", PROBE],
        cwd=REPO, env=child_env(**env), capture_output=True, text=True, timeout=300,
        check=False)


def test_the_environment_variable_names_the_shared_data(tmp_path: Path) -> None:
    seeds = need_shared("seeds")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "seeds").symlink_to(seeds)
    passed = _pytest({SHARED_ENV: str(elsewhere)})
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "1 passed" in passed.stdout

    missing = tmp_path / "missing"
    skipped = _pytest({SHARED_ENV: str(missing)})
    assert skipped.returncode == 0, skipped.stdout + skipped.stderr
    assert "1 skipped" in skipped.stdout
    assert (f"{missing / 'seeds'} is not available (set $PROFILESMITH_SHARED to the shared "
            "data, or put it in ../shared)") in skipped.stdout


def test_without_the_variable_it_is_the_directory_beside_the_checkout() -> None:
    env = {k: v for k, v in child_env().items() if k != SHARED_ENV}
    probe = subprocess.run([sys.executable, "-c", "from tests.conftest import SHARED; "
                            "print(SHARED)"], cwd=REPO, env=env, capture_output=True,
                           text=True, check=True)
    assert probe.stdout == f"{(REPO.parent / 'shared').resolve()}\n"
