"""action.yml run the way the GitHub runner runs a composite action: each ``run:`` step
as ``bash --noprofile --norc -eo pipefail`` (what ``shell: bash`` means), with its
``env:``, the ``${{ ... }}`` expressions substituted, and the variables the runner sets
(GITHUB_ACTIONS, GITHUB_WORKSPACE, GITHUB_OUTPUT per step, GITHUB_STEP_SUMMARY,
RUNNER_TEMP). profilesmith is installed from a snapshot of this checkout (the ``version``
input takes a path) into a fresh virtual environment, as a fresh machine would: slow.

The README's workflow is checked against the action too: it uses inputs the action has
and grants the permission the SARIF upload needs.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.acceptance_helpers import PROFILES, REPO, child_env, snapshot_checkout

ACTION = yaml.safe_load((REPO / "action.yml").read_text())
EXPRESSION = re.compile(r"\$\{\{\s*(.+?)\s*\}\}")
STR001 = ("::error file=profiles/bad.mobileconfig,line=20,col=4,title=STR001::duplicate key "
          "'allowCamera': one of its values is dropped")


@dataclass
class Run:
    steps: list[subprocess.CompletedProcess[str]]
    outputs: dict[str, dict[str, str]]  # step id -> outputs
    summary: str

    @property
    def code(self) -> int:
        return self.steps[-1].returncode


class Runner:
    """The part of the GitHub runner a composite action with bash steps needs."""

    def __init__(self, root: Path, source: Path) -> None:
        self.root = root
        self.source = source  # what the version input installs: this checkout's snapshot
        self.temp = root / "runner-temp"
        self.temp.mkdir()
        self.workspace = root / "workspace"
        self.workspace.mkdir()

    def run(self, given: dict[str, str]) -> Run:
        inputs = {name: str(spec.get("default", "")) for name, spec in ACTION["inputs"].items()}
        unknown = set(given) - set(inputs)
        assert not unknown, f"the action has no inputs {unknown}"
        inputs.update({"version": str(self.source)})
        inputs.update(given)
        outputs: dict[str, dict[str, str]] = {}
        summary = self.root / "summary.md"
        summary.write_text("")
        done = []
        for number, step in enumerate(ACTION["runs"]["steps"]):
            assert step["shell"] == "bash", step
            context = {"inputs": inputs, "steps": outputs, "runner.temp": str(self.temp),
                       "github.action_path": str(REPO)}
            output_file = self.root / f"output-{number}"
            output_file.write_text("")
            env = child_env(GITHUB_ACTIONS="true", GITHUB_WORKSPACE=str(self.workspace),
                            GITHUB_OUTPUT=str(output_file), GITHUB_STEP_SUMMARY=str(summary),
                            RUNNER_TEMP=str(self.temp))
            env.update({k: substitute(str(v), context) for k, v in step.get("env", {}).items()})
            script = self.root / f"step-{number}.sh"
            script.write_text(substitute(step["run"], context))
            proc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail",
                                   str(script)], cwd=self.workspace, env=env,
                                  capture_output=True, text=True, timeout=900, check=False)
            done.append(proc)
            outputs[step["id"]] = dict(line.split("=", 1)
                                       for line in output_file.read_text().splitlines())
            if proc.returncode != 0:
                break
        return Run(done, outputs, summary.read_text())


def substitute(text: str, context: dict[str, Any]) -> str:
    def value(match: re.Match[str]) -> str:
        expression = match.group(1)
        if expression in context:
            return str(context[expression])
        parts = expression.split(".")
        if parts[0] == "inputs" and len(parts) == 2:
            return str(context["inputs"][parts[1]])
        if parts[0] == "steps" and len(parts) == 4 and parts[2] == "outputs":
            return context["steps"][parts[1]][parts[3]]  # type: ignore[no-any-return]
        raise AssertionError(f"an expression this test does not know: {expression}")

    return EXPRESSION.sub(value, text)


@pytest.fixture(scope="module")
def runner(tmp_path_factory: pytest.TempPathFactory) -> Runner:
    root = tmp_path_factory.mktemp("action")
    runner = Runner(root, snapshot_checkout(root / "checkout"))
    (runner.workspace / "profiles").mkdir()
    for name in ("good.mobileconfig", "bad.mobileconfig"):
        shutil.copy(PROFILES / name, runner.workspace / "profiles" / name)
    return runner


@pytest.mark.slow
def test_the_action_annotates_writes_sarif_and_fails_on_errors(runner: Runner) -> None:
    run = runner.run({"paths": "profiles", "args": "--select STR001,STR003"})
    install, lint = run.steps
    assert install.returncode == 0, install.stdout + install.stderr
    assert install.stdout.startswith("profilesmith, version ")
    assert run.code == 1, lint.stdout + lint.stderr
    assert lint.stdout.splitlines() == [
        STR001,
        "::warning file=profiles/bad.mobileconfig,line=33,col=2,title=STR003::PayloadUUID "
        "'com.example.bad' is not a UUID",
        "profilesmith: 2 files checked: 1 error(s), 1 warning(s), 0 info",
    ]
    assert run.outputs["lint"] == {"exit-code": "1", "sarif-file": "profilesmith.sarif"}
    sarif = json.loads((runner.workspace / "profilesmith.sarif").read_text())
    results = sarif["runs"][0]["results"]
    assert [(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
            for r in results] == [("STR001", "profiles/bad.mobileconfig"),
                                  ("STR003", "profiles/bad.mobileconfig")]
    assert run.summary.startswith("### profilesmith lint\n\n2 files checked: 1 error(s)")

    # the action's outputs name what its steps wrote
    for name, spec in ACTION["outputs"].items():
        step, output = re.fullmatch(r"\$\{\{ steps\.(\w+)\.outputs\.([\w-]+) \}\}",
                                    spec["value"]).groups()  # type: ignore[union-attr]
        assert output == name
        assert name in run.outputs[step]

    clean = runner.run({"paths": "profiles/good.mobileconfig", "sarif-file": ""})
    assert clean.code == 0, clean.steps[-1].stdout + clean.steps[-1].stderr
    assert clean.steps[-1].stdout == "profilesmith: 1 file checked: no findings\n"
    assert clean.outputs["lint"] == {"exit-code": "0", "sarif-file": ""}


@pytest.mark.slow
def test_a_usage_error_still_leaves_a_sarif_file_to_upload(runner: Runner) -> None:
    (runner.workspace / "profilesmith.sarif").unlink(missing_ok=True)
    run = runner.run({"paths": "nowhere"})
    assert run.code == 2
    assert run.steps[-1].stderr == "profilesmith: nowhere: no such file or directory\n"
    sarif = json.loads((runner.workspace / "profilesmith.sarif").read_text())
    notes = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert [n["message"]["text"] for n in notes] == ["nowhere: no such file or directory"]


def readme_workflow() -> dict[str, Any]:
    text = (REPO / "README.md").read_text()
    blocks = re.findall(r"```yaml\n(.*?)```", text, re.S)
    workflows = [yaml.safe_load(b) for b in blocks if "upload-sarif" in b]
    assert len(workflows) == 1, "the README shows one workflow with a SARIF upload"
    workflow: dict[str, Any] = workflows[0]
    return workflow


def test_the_readme_workflow_fits_the_action() -> None:
    workflow = readme_workflow()
    assert workflow["permissions"]["security-events"] == "write"
    assert workflow["permissions"]["contents"] == "read"
    (job,) = workflow["jobs"].values()
    uses = [s for s in job["steps"] if "profilesmith" in str(s.get("uses", ""))]
    (step,) = uses
    assert set(step.get("with", {})) <= set(ACTION["inputs"])
    upload = next(s for s in job["steps"] if "upload-sarif" in str(s.get("uses", "")))
    assert upload["if"] == "always()"
    sarif = step.get("with", {}).get("sarif-file", ACTION["inputs"]["sarif-file"]["default"])
    assert upload["with"]["sarif_file"] == sarif
