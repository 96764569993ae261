"""``profilesmith lsp`` as a command: without pygls, and what it costs everything else."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.lsp.conftest import DATA


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False, timeout=60)


def test_without_pygls_it_says_how_to_install_it() -> None:
    done = _run("import sys\n"
                "sys.modules['pygls'] = None  # as if it were not installed\n"
                "from profilesmith.cli import main\n"
                "main(['lsp'])\n")
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == ("profilesmith: the lsp command needs pygls: "
                           "pip install 'profilesmith[lsp]'\n")


def test_lint_and_help_do_not_import_the_server(tmp_path: Path) -> None:
    profile = DATA / "enrollment.mobileconfig"
    done = _run("import sys\n"
                "from profilesmith.cli import main\n"
                "for argv in (['lint', sys.argv[1]], ['--help']):\n"
                "    try:\n"
                "        main(argv)\n"
                "    except SystemExit:\n"
                "        pass\n"
                "loaded = ('pygls', 'lsprotocol', 'profilesmith.lsp')\n"
                "print(sorted(m for m in loaded if m in sys.modules))\n"
                .replace("sys.argv[1]", repr(str(profile))))
    *_, last = done.stdout.splitlines()
    assert last == "[]"
    assert "  lsp " in done.stdout  # listed by --help all the same


def test_the_server_exits_cleanly_at_the_end_of_its_input() -> None:
    done = subprocess.run([sys.executable, "-m", "profilesmith", "lsp"], input=b"",
                          capture_output=True, check=False, timeout=60)
    assert (done.returncode, done.stdout, done.stderr) == (0, b"", b"")
