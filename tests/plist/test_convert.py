"""``profilesmith convert``: XML, binary, JSON and YAML, both ways, types kept."""

from __future__ import annotations

import json
import plistlib
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from profilesmith.plist.convert import ConvertError, dump, dumps_json, load
from profilesmith.plist.yaml_projection import dumps as yaml_dumps
from profilesmith.plist.yaml_projection import loads as yaml_loads
from tests.conftest import plist, run_cli

SAMPLE = {
    "PayloadContent": [{"Real": 1.0, "Big": 1e20, "Small": 2.5e-7, "Int": 1, "Neg": -3,
                        "Data": b"\x00\xff" * 40, "Date": datetime(2024, 2, 29, 23, 59, 58),
                        "Yes": True, "No": False, "Empty": "", "Dict": {}, "List": [],
                        "Tricky": ["NO", "on", "0123", "1.0", "null", "~", "2024-01-01",
                                   "true", "0x10", "- a", "a: b", "#x", "&<>]]>", "😀",
                                   "line\nbreak", "cr\r", " pad "]}],
    "PayloadIdentifier": "com.example.convert",
    "PayloadType": "Configuration",
}

plist_keys = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=6)
plist_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters=(
    "".join(chr(c) for c in range(32) if c not in (9, 10, 13)) + "\ufffe\uffff")), max_size=12)
scalars = st.one_of(
    plist_text,
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.binary(max_size=40),
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1)).map(
        lambda d: d.replace(microsecond=0)),
)
trees = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(plist_keys, inner, max_size=4)),
    max_leaves=12,
).filter(lambda v: not _has_ambiguous_projection(v))


def _has_ambiguous_projection(value: Any) -> bool:
    """A dict whose only key is $data or $date is read back as data/date (documented)."""
    if isinstance(value, dict):
        if len(value) == 1 and next(iter(value)) in ("$data", "$date"):
            return True
        return any(_has_ambiguous_projection(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_ambiguous_projection(v) for v in value)
    return False


def same(a: Any, b: Any) -> bool:
    """Equal with types: 1 and 1.0 and True differ."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return set(a) == set(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


@settings(max_examples=200, deadline=None)
@given(tree=trees)
def test_json_and_yaml_round_trip_any_plist(tree: Any) -> None:
    assert same(yaml_loads(yaml_dumps(tree)), tree)
    from profilesmith.plist.json_projection import from_json

    assert same(from_json(json.loads(dumps_json(tree))), tree)


def test_sample_through_every_format(tmp_path: Path) -> None:
    from profilesmith.plist.writer import dumps_canonical

    source = tmp_path / "in.mobileconfig"
    source.write_bytes(dumps_canonical(SAMPLE))  # plistlib would turn the CR into LF
    current = source
    for step, (fmt, suffix) in enumerate((("json", "json"), ("yaml", "yaml"),
                                          ("binary", "plist"), ("xml", "mobileconfig"),
                                          ("yaml", "yml"), ("json", "json"))):
        target = tmp_path / f"step-{step}.{suffix}"
        result = run_cli("convert", str(current), "-o", str(target), "--to", fmt)
        assert result.exit_code == 0, result.output
        current = target
    back = tmp_path / "back.mobileconfig"
    assert run_cli("convert", str(current), "-o", str(back), "--to", "xml").exit_code == 0
    assert back.read_bytes() == source.read_bytes()
    assert same(plistlib.loads(back.read_bytes()), SAMPLE)


def test_json_and_yaml_text() -> None:
    text = dumps_json({"r": 1.0, "e": 1e20, "i": 1, "d": b"\x01", "t": datetime(2024, 1, 2)})
    assert text == ('{\n  "r": 1.0,\n  "e": 1.0e+20,\n  "i": 1,\n  "d": {"$data": "AQ=="},\n'
                    '  "t": {"$date": "2024-01-02T00:00:00Z"}\n}')
    assert yaml_dumps({"d": b"\x01", "t": datetime(2024, 1, 2), "s": "NO", "r": 2.0}) == (
        "d: !!binary |\n  AQ==\nt: !!timestamp '2024-01-02T00:00:00Z'\ns: \"NO\"\nr: 2.0\n")


def test_signed_input_is_converted_with_a_note(tmp_path: Path) -> None:
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.serialization import pkcs7

    from tests.pki import make_cert, name, rsa_key

    key = rsa_key()
    cert = make_cert(name("Convert Signer"), key)
    content = plistlib.dumps(SAMPLE)
    signed = (pkcs7.PKCS7SignatureBuilder().set_data(content)
              .add_signer(cert, key, hashes.SHA256())
              .sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.Binary]))
    source = tmp_path / "signed.mobileconfig"
    source.write_bytes(signed)
    result = run_cli("convert", str(source), "-o", str(tmp_path / "out.json"), "--to", "json")
    assert result.exit_code == 0
    assert result.stderr == (f"profilesmith: note: {source} is signed: the output holds its "
                             "content, unsigned (the signature is not carried over)\n"
                             f"profilesmith: wrote {tmp_path / 'out.json'}\n")
    assert json.loads((tmp_path / "out.json").read_text())["PayloadIdentifier"] == \
        "com.example.convert"


def test_refusals(tmp_path: Path) -> None:
    out = tmp_path / "out.yaml"
    out.write_text("keep")
    source = tmp_path / "in.mobileconfig"
    source.write_bytes(plistlib.dumps(SAMPLE))
    result = run_cli("convert", str(source), "-o", str(out), "--to", "yaml")
    assert result.exit_code == 2
    assert result.stderr == f"profilesmith: {out}: exists (use --force to replace it)\n"
    assert out.read_text() == "keep"
    assert run_cli("convert", str(source), "-o", str(out), "--to", "yaml",
                   "--force").exit_code == 0
    broken = tmp_path / "broken.mobileconfig"
    broken.write_bytes(plist("<dict><key>A</key><integer>x</integer></dict>"))
    result = run_cli("convert", str(broken), "-o", str(tmp_path / "b.json"), "--to", "json")
    assert result.exit_code == 2
    assert result.stderr == (f"profilesmith: {broken}:4: <integer> holds 'x', not an integer "
                             "(PAR007)\n")
    nulls = tmp_path / "n.yaml"
    nulls.write_text("a: [1, ~]\n")
    result = run_cli("convert", str(nulls), "-o", str(tmp_path / "n.plist"), "--to", "xml")
    assert result.exit_code == 2
    assert result.stderr == (f"profilesmith: {nulls}: null at /a/1 has no property-list "
                             "equivalent\n")
    result = run_cli("convert", str(tmp_path / "missing"), "-o", "-", "--to", "xml")
    assert result.exit_code == 2


def test_control_characters_cannot_become_xml() -> None:
    binary = plistlib.dumps({"A": "bell\x07"}, fmt=plistlib.FMT_BINARY)
    loaded = load(binary, "b.plist")
    with pytest.raises(ConvertError) as caught:
        dump(loaded, "xml")
    assert str(caught.value) == "cannot write xml: string at /A contains U+0007, which XML " \
                                "cannot carry"
    assert yaml_loads(dump(loaded, "yaml").decode()) == {"A": "bell\x07"}


def test_stdout_output() -> None:
    result = run_cli("convert", "-", "-o", "-", "--to", "json",
                     input=plistlib.dumps({"a": 1}))
    assert result.exit_code == 0
    assert result.stdout == '{\n  "a": 1\n}\n'
