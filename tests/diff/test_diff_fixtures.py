"""The fixture protocol of the rules that compare two files (the UPD rules: ``profilesmith
diff`` emits them, ``lint`` never does), in place of tests/lint/test_fixtures.py's walk.

tests/fixtures/diff/<RULE>/{positive,negative}/<case>/ holds ``old.mobileconfig`` and
``new.mobileconfig``. A positive case lists in ``expect`` the EXACT findings of its rule,
one ``SEVERITY POINTER`` per line (the pointer is empty for the whole profile); a
negative case is one on which the rule stays silent. An optional ``sign`` file signs the
files at test time with the test PKI (tests/pki.py; nothing secret is committed), one
``old|new IDENTITY [nocerts]`` per line, IDENTITY an attribute of tests.pki.PKI and
``nocerts`` leaving the signer certificate out of the signature.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from profilesmith.diff import compare
from profilesmith.lint.catalog import all_rules
from profilesmith.plist.reader import read_bytes
from tests.conftest import FIXTURES
from tests.pki import PKI

DIFF = FIXTURES / "diff"


def _cases(kind: str) -> list[tuple[str, Path]]:
    return [(case.parent.parent.name, case)
            for case in sorted(DIFF.glob(f"*/{kind}/*")) if case.is_dir()]




def sign(data: bytes, identity_name: str, pki: PKI, *, certs: bool = True) -> bytes:
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.serialization import pkcs7

    identity = getattr(pki, identity_name)
    options = [pkcs7.PKCS7Options.Binary]
    if not certs:
        options.append(pkcs7.PKCS7Options.NoCerts)
    builder = pkcs7.PKCS7SignatureBuilder().set_data(data).add_signer(
        identity.cert, identity.key, hashes.SHA256())
    return builder.sign(serialization.Encoding.DER, options)


def findings(case: Path, rule: str, pki: PKI) -> set[tuple[str, str]]:
    contents = {side: (case / f"{side}.mobileconfig").read_bytes() for side in ("old", "new")}
    signing = case / "sign"
    if signing.exists():
        for line in signing.read_text().splitlines():
            side, identity, *flags = line.split()
            contents[side] = sign(contents[side], identity, pki, certs="nocerts" not in flags)
    old, new = (read_bytes(contents[side], f"{side}.mobileconfig") for side in ("old", "new"))
    comparison = compare(old, new)
    assert comparison.unreadable == []
    return {(d.severity.value, d.pointer) for d in comparison.differences if d.rule == rule}


@pytest.mark.parametrize(("rule", "case"), _cases("positive"),
                         ids=lambda v: v if isinstance(v, str) else v.name)
def test_positive_diff_fixture(rule: str, case: Path, pki: PKI) -> None:
    expected = set()
    for line in (case / "expect").read_text().splitlines():
        severity, _, pointer = line.partition(" ")
        expected.add((severity, pointer))
    assert expected, f"{case}: a positive case must declare its expected findings"
    assert findings(case, rule, pki) == expected


@pytest.mark.parametrize(("rule", "case"), _cases("negative"),
                         ids=lambda v: v if isinstance(v, str) else v.name)
def test_negative_diff_fixture(rule: str, case: Path, pki: PKI) -> None:
    assert findings(case, rule, pki) == set()


def test_every_diff_rule_has_fixtures() -> None:
    diff_rules = {rule_id for rule_id, rule in all_rules().items()
                  if rule.emitted_by == ("profilesmith.diff",)}
    assert diff_rules, "the UPD rules are registered"
    assert all(rule_id.startswith("UPD") for rule_id in diff_rules)
    positive = {rule for rule, _ in _cases("positive")}
    negative = {rule for rule, _ in _cases("negative")}
    assert diff_rules - positive == set()
    assert diff_rules - negative == set()
    # no stray directories for rules that do not exist or are not diff rules
    assert {p.name for p in DIFF.iterdir()} == diff_rules
