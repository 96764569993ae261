"""docs/verification.md names, for each check verify makes, the tests that prove it: every
named test must exist, and every numbered check must name one."""

from __future__ import annotations

import re

from tests.conftest import REPO

DOC = REPO / "docs" / "verification.md"
REFERENCE = re.compile(r"`(tests/[\w/]+\.py)::(\w+)`")


def checks() -> list[str]:
    """The numbered checks, each with its continuation lines."""
    items: list[str] = []
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if re.match(r"\d+\. ", line):
            items.append(line)
        elif items and line.startswith("   ") and line.strip():
            items[-1] += "\n" + line
    return items


def test_every_named_test_exists() -> None:
    references = REFERENCE.findall(DOC.read_text(encoding="utf-8"))
    assert len(references) >= 40
    missing = [f"{path}::{name}" for path, name in references
               if not (REPO / path).is_file()
               or not re.search(rf"^def {name}\(", (REPO / path).read_text(encoding="utf-8"),
                                re.M)]
    assert missing == []


def test_every_check_names_a_test() -> None:
    items = checks()
    assert [int(item.split(".", 1)[0]) for item in items] == list(range(1, len(items) + 1))
    assert len(items) == 20
    assert [item.splitlines()[0] for item in items if not REFERENCE.search(item)] == []
