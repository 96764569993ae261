"""The registry says where every rule's findings come from, and that is true."""

from __future__ import annotations

import importlib
from pathlib import Path

from profilesmith.lint.catalog import all_rules
from tests.conftest import run_cli


def _source(module_name: str) -> str:
    """The source of a module, or of every module of a package."""
    module = importlib.import_module(module_name)
    path = Path(module.__file__ or "")
    if path.name == "__init__.py":
        return "".join(p.read_text(encoding="utf-8") for p in sorted(path.parent.rglob("*.py")))
    return path.read_text(encoding="utf-8")


def test_rules_emitted_elsewhere_are_reported_by_the_modules_they_name() -> None:
    emitted = {rule_id: rule for rule_id, rule in all_rules().items() if rule.check is None}
    assert {r[:3] for r in emitted} == {"PAR", "SCH", "AVL", "UPD", "SUP"}
    wrong = []
    for rule_id, rule in sorted(emitted.items()):
        assert rule.scope is None, rule_id
        assert rule.emitted_by, rule_id
        for module in rule.emitted_by:
            if f'"{rule_id}"' not in _source(module):
                wrong.append(f"{rule_id} is not in {module}")
    assert wrong == []


def test_every_check_is_a_function_of_a_rule_module() -> None:
    for rule_id, rule in all_rules().items():
        if rule.check is None:
            continue
        assert rule.scope in ("document", "payload", "corpus"), rule_id
        assert rule.origin.startswith("profilesmith.lint.rules."), rule_id
        assert rule.origin.endswith("." + rule.check.__name__)


def test_explain_names_where_the_findings_come_from() -> None:
    checked = run_cli("explain", "MDM101")
    assert checked.stdout.endswith(
        "\n(checked by profilesmith.lint.rules.mdm.access_rights_dependencies)\n")
    reported = run_cli("explain", "PAR013")
    assert reported.stdout.endswith("\n(reported by profilesmith.plist.reader)\n")
    assert run_cli("explain", "UPD101").stdout.endswith("\n(reported by profilesmith.diff)\n")
