"""Certificate payloads that cryptography loads but cannot read whole (a duplicated or
unparsable extension, an X.509 version that does not exist): CRT102 says what is wrong,
in our words, and no CRT rule ends in "internal error"."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from asn1crypto import x509

from profilesmith.base.findings import Severity
from profilesmith.lint.engine import lint_document
from profilesmith.plist.reader import read_bytes
from tests import cms_forge as forge
from tests.conftest import options
from tests.enrollment_profiles import certificate_payload, profile
from tests.pki import PKI

ROOT = "com.apple.security.root"
D = "/PayloadContent/0/PayloadContent"


def duplicated(tbs: Any) -> None:
    tbs["extensions"] = [*tbs["extensions"], tbs["extensions"][0]]


def version_11(tbs: Any) -> None:
    tbs["version"] = x509.Version.load(b"\xa0\x03\x02\x01\x0a", explicit=0)


CASES: dict[str, tuple[Callable[[Any], None], str]] = {
    "duplicate-extension": (duplicated, "an extension appears twice"),
    "unparsable-basic-constraints": (forge.with_extension("2.5.29.19", b"\x30\x03\x01\x01"),
                                     "it is truncated"),
    "no-such-version": (version_11, "its version is not v1, v2 or v3"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_unreadable_parts_are_crt102(pki: PKI, tmp_path: Path, case: str) -> None:
    change, words = CASES[case]
    der = forge.alter_certificate(pki.root.cert, pki.root.key, change)
    report = lint_document(read_bytes(profile(certificate_payload(ROOT, der)), "t.mobileconfig"),
                           options())
    assert list(report.internal_errors) == []
    found = [(f.rule, f.line, f.pointer, f.severity, f.message) for f in report.findings
             if f.rule.startswith("CRT")]
    assert found == [("CRT102", 6, D, Severity.WARNING,
                      f"the certificate is not strict DER (cryptography refuses it: {words}); "
                      "devices may still accept it")]
