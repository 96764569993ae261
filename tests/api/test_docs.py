"""docs/api.md runs as written: its ```python blocks, in order and in one session, in a
directory holding a copy of examples/ and a throwaway pki/; each block prints exactly the
```text block that follows it."""

from __future__ import annotations

import contextlib
import io
import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.pki import PKI, key_pem, pem_of

DOC = REPO / "docs" / "api.md"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```\n", re.M | re.S)


def examples() -> list[tuple[str, str | None]]:
    """(code, expected output or None) of each python block."""
    text = DOC.read_text(encoding="utf-8")
    blocks = [(m.group(1), m.group(2), m.start(), m.end()) for m in FENCE.finditer(text)]
    found = []
    for index, (lang, body, _start, end) in enumerate(blocks):
        if lang != "python":
            continue
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        expected = None
        if following is not None and following[0] == "text" and not text[end:following[2]].strip():
            expected = following[1]
        found.append((body, expected))
    return found


def test_the_page_has_examples_with_their_output() -> None:
    found = examples()
    assert len(found) >= 8
    assert all(expected is not None for _, expected in found)


def test_the_examples_run_as_written(pki: PKI, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    keys = tmp_path / "pki"
    keys.mkdir()
    for name, data in {
        "signer.key": key_pem(pki.leaf.key), "signer.pem": pem_of(pki.leaf.cert),
        "intermediate.pem": pem_of(pki.intermediate.cert), "root.pem": pem_of(pki.root.cert),
        "device.key": key_pem(pki.device.key), "device.pem": pem_of(pki.device.cert),
    }.items():
        (keys / name).write_bytes(data)
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": "docs_api"}
    for number, (code, expected) in enumerate(examples(), 1):
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(compile(code, f"docs/api.md example {number}", "exec"), namespace)
        assert printed.getvalue() == expected, f"example {number}"
