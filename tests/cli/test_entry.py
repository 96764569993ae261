"""The console script's exit (cli.entry): the status, the output and the clean-ups of a
normal exit, without the interpreter's teardown."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from profilesmith.cli import _exit_status

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _entry(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    code = "import sys\nfrom profilesmith.cli import entry\n" + script + "\nentry()\n"
    # buffered output, as a user's shell gives it: what is not flushed would be lost
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True,
                          text=True, timeout=120, env=env)


def test_statuses_and_output_are_those_of_main(tmp_path: Path) -> None:
    clean = _entry("sys.argv = ['profilesmith', '--version']")
    assert (clean.returncode, clean.stdout.startswith("profilesmith, version ")) == (0, True)
    usage = _entry("sys.argv = ['profilesmith', 'lint', '--no-such-option']")
    assert usage.returncode == 2
    assert "--no-such-option" in usage.stderr
    bad = tmp_path / "bad.mobileconfig"
    bad.write_text("<plist><dict><key>A</key></dict>")  # not even well-formed
    failed = _entry(f"sys.argv = ['profilesmith', 'lint', {str(bad)!r}]")
    assert failed.returncode == 1
    assert f"{bad}:1:" in failed.stdout
    assert "PAR001" in failed.stdout


def test_a_large_report_on_a_pipe_is_written_whole() -> None:
    # the buffered tail of standard output is flushed before the process ends
    done = _entry("sys.argv = ['profilesmith', 'lint', '--format', 'json', '--select', "
                  f"'ALL', {str(FIXTURES / 'positive')!r}]")
    import json

    report = json.loads(done.stdout)
    assert done.returncode in (0, 1)
    assert report["summary"]["files"] == len(report["files"])
    assert len(report["files"]) > 50


def test_atexit_handlers_still_run() -> None:
    done = _entry("import atexit\n"
                  "atexit.register(lambda: sys.stdout.write('clean-up ran\\n'))\n"
                  "sys.argv = ['profilesmith', '--version']")
    assert done.returncode == 0
    assert done.stdout.splitlines()[-1] == "clean-up ran"


def test_a_running_thread_is_waited_for(tmp_path: Path) -> None:
    marker = tmp_path / "written"
    done = _entry("import threading, time\n"
                  "def late():\n"
                  "    time.sleep(0.3)\n"
                  f"    open({str(marker)!r}, 'w').write('done')\n"
                  "threading.Thread(target=late).start()\n"
                  "sys.argv = ['profilesmith', '--version']")
    assert done.returncode == 0
    assert marker.read_text() == "done"


def test_python_m_profilesmith_goes_through_the_entry() -> None:
    done = subprocess.run([sys.executable, "-m", "profilesmith", "--version"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    assert done.stdout.startswith("profilesmith, version ")


@pytest.mark.parametrize(("code", "status", "printed"), [
    (None, 0, ""), (0, 0, ""), (3, 3, ""), ("stopped: why", 1, "stopped: why\n"),
])
def test_exit_status_as_python_makes_it(code: object, status: int, printed: str,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert _exit_status(code) == status
    assert capsys.readouterr().err == printed


@pytest.mark.parametrize("closed", [1, 2])
def test_a_closed_standard_stream_takes_nothing(tmp_path: Path, closed: int) -> None:
    # ``profilesmith ... >&-``: Python starts with sys.stdout (or stderr) None; the run
    # goes on as if it were /dev/null, with its usual status, its report file and the
    # other stream's output (no internal error, no traceback)
    report = tmp_path / "report.json"
    bad = tmp_path / "bad.mobileconfig"
    bad.write_text("<plist><dict><key>A</key></dict>")
    done = subprocess.run(
        [sys.executable, "-m", "profilesmith", "lint", "--format", "json", "--output",
         str(report), str(bad)],
        capture_output=True, text=True, timeout=60,
        preexec_fn=lambda: os.close(closed))
    assert done.returncode == 1
    assert '"rule": "PAR001"' in report.read_text()
    if closed == 1:
        assert done.stderr == ""
    else:
        assert done.stdout.splitlines()[-1] == "1 file checked: 1 error(s), 0 warning(s), 0 info"


def test_a_closed_standard_input_is_an_empty_one() -> None:
    done = subprocess.run([sys.executable, "-m", "profilesmith", "lint", "-"],
                          capture_output=True, text=True, timeout=60,
                          preexec_fn=lambda: os.close(0))
    assert done.returncode == 1
    assert done.stdout.splitlines()[0] == "-: error PAR010 file is empty"
    assert done.stderr == ""


def test_an_installation_without_its_data_says_so_in_one_line(tmp_path: Path) -> None:
    # the package copied without the schemas and templates it ships (a broken install)
    import shutil

    import profilesmith

    package = Path(profilesmith.__file__).parent
    shutil.copytree(package, tmp_path / "src" / "profilesmith",
                    ignore=shutil.ignore_patterns("_data", "__pycache__"))
    env = dict(os.environ, PYTHONPATH=str(tmp_path / "src"))
    profile = tmp_path / "p.mobileconfig"
    profile.write_bytes((FIXTURES / "enrollment" / "apple-mdm-example.mobileconfig")
                        .read_bytes())
    done = subprocess.run([sys.executable, "-m", "profilesmith", "lint", str(profile)],
                          capture_output=True, text=True, timeout=60, env=env,
                          cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "profilesmith: profilesmith's schemas are missing (neither in the package's _data/ "
        "nor beside src/ in a checkout): the installation is incomplete; reinstall "
        "profilesmith"]
