"""A signed file's CMS structure is loaded once: by the reader, whose ContentInfo the SIG
rules take over (asn1crypto parsing was most of a signed file's lint)."""

from __future__ import annotations

import pytest

from profilesmith.lint.config import LintOptions
from profilesmith.lint.engine import lint_document
from profilesmith.plist.reader import read_path
from tests.conftest import FIXTURES

SIGNED = FIXTURES / "negative" / "SIG001" / "valid-signer.mobileconfig"


def test_the_content_info_is_loaded_once_per_file(monkeypatch: pytest.MonkeyPatch) -> None:
    from asn1crypto import cms

    loads: list[int] = []
    real = cms.ContentInfo.load.__func__  # type: ignore[attr-defined]

    def counting(cls: type, data: bytes, *args: object, **kwargs: object) -> object:
        loads.append(len(data))
        return real(cls, data, *args, **kwargs)

    monkeypatch.setattr(cms.ContentInfo, "load", classmethod(counting))
    doc = read_path(str(SIGNED))
    assert doc.signature is not None
    assert doc.signature.parsed is not None
    findings = lint_document(doc, LintOptions()).findings
    assert loads == [len(SIGNED.read_bytes())]
    assert not [f for f in findings if f.rule.startswith("SIG")]  # still checked: clean
