"""The binary plist reader on hostile input: every object decoded once, the expansion
bounded, and each kind of damage an exact PAR finding (files built by bplist_builder)."""

from __future__ import annotations

import plistlib
from datetime import datetime
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from profilesmith.plist.reader import read_bytes
from tests.conftest import FIXTURES
from tests.plist.bplist_builder import FIXTURES as MADE
from tests.plist.bplist_builder import (
    Builder,
    ascii_string,
    cyclic,
    data,
    integer,
    shared_dag,
    uid,
)


def found(raw: bytes) -> list[tuple[str, str, int | None, str]]:
    doc = read_bytes(raw, "b.plist")
    return [(f.rule, f.pointer, f.line, f.message) for f in doc.findings]


def corrupt(reason: str, pointer: str = "") -> list[tuple[str, str, int | None, str]]:
    return [("PAR002", pointer, None, f"not a valid binary plist ({reason})")]


def test_shared_dag_is_refused_at_once() -> None:
    # 2**30 values if walked per reference: refused from the object table alone
    assert found(shared_dag(30)) == [
        ("PAR012", "", None, "the binary plist's shared objects would expand to more than "
         "67108864 bytes (the limit for a profile); refused")]


def test_shared_objects_are_decoded_once_and_stay_shared() -> None:
    builder = Builder()
    text = builder.add(ascii_string("shared"))
    inner = builder.array([text, text])
    key_a, key_b = builder.add(ascii_string("A")), builder.add(ascii_string("B"))
    top = builder.dict([key_a, key_b], [inner, inner])
    doc = read_bytes(builder.build(top), "b.plist")
    assert doc.findings == []
    assert doc.root == {"A": ["shared", "shared"], "B": ["shared", "shared"]}
    assert doc.root["A"] is doc.root["B"]


def test_a_cycle_is_reported_where_it_closes() -> None:
    assert found(cyclic()) == corrupt("object 2 contains itself (a cycle)", "/Loop")


def test_the_binary_fixtures_are_what_the_builder_makes() -> None:
    for name, make in MADE.items():
        assert (FIXTURES / "positive" / name).read_bytes() == make(), name


def test_an_array_holding_itself() -> None:
    builder = Builder()
    builder.objects.append(b"\xa1\x00\x00")
    assert found(builder.build(0)) == corrupt("object 0 contains itself (a cycle)")


def test_non_string_keys_are_reported() -> None:
    for key_object, kind in ((integer(7), "an integer"), (uid(3), "a UID"),
                             (b"\x09", "a boolean"), (b"\xa0", "an array")):
        builder = Builder()
        name = builder.add(ascii_string("Outer"))
        key = builder.add(key_object)
        value = builder.add(ascii_string("v"))
        inner = builder.dict([key], [value])
        top = builder.dict([name], [inner])
        assert found(builder.build(top)) == corrupt(
            f"a dictionary key is {kind}, not a string", "/Outer")


def test_nulls_uids_and_wide_integers_are_reported_at_their_pointer() -> None:
    builder = Builder()
    keys = [builder.add(ascii_string(k)) for k in ("N", "U", "W")]
    values = [builder.add(b"\x00"), builder.add(uid(1)),
              builder.add(b"\x14" + (2**64).to_bytes(16, "big", signed=True))]
    doc = read_bytes(builder.build(builder.dict(keys, values)), "b.plist")
    assert [(f.rule, f.pointer, f.message) for f in doc.findings] == [
        ("PAR014", "/N", "null value: not a property-list type profiles allow"),
        ("PAR014", "/U", "UID value: not a property-list type profiles allow"),
        ("PAR007", "/W", "integer outside the 64-bit range devices read"),
    ]
    assert doc.root == {"N": None, "U": None, "W": 2**64}
    assert doc.unreadable == {"/N", "/U"}


def test_duplicate_keys_are_recorded() -> None:
    builder = Builder()
    key = builder.add(ascii_string("A"))
    one, two = builder.add(integer(1)), builder.add(integer(2))
    doc = read_bytes(builder.build(builder.dict([key, key], [one, two])), "b.plist")
    assert (doc.root, doc.duplicates) == ({"A": 2}, ["/A"])


def test_damaged_structure() -> None:
    single = Builder()
    single.add(ascii_string("x"))
    good = single.build(0)
    cases: list[tuple[bytes, str]] = [
        (good[:-5], "damaged trailer: offset size 0 and reference size 0 must be 1 to 8 bytes"),
        (good[:9] + good[10:], "truncated: the offset table lies outside the file"),
        (good[:20], "truncated: too short to hold a trailer"),
        (b"bplist15" + good[8:], "binary plist version '15' is not supported (only 00)"),
        (single.build(0, offsets={0: 4}), "object 0 has an offset outside the file"),
        (single.build(0, offsets={0: 10_000}), "object 0 has an offset outside the file"),
        (single.build(3), "the top object 3 is not one of the 1 objects"),
    ]
    zero = Builder(ref_size=0)
    zero.add(ascii_string("x"))
    cases.append((zero.build(0), "damaged trailer: offset size 4 and reference size 0 must be "
                  "1 to 8 bytes"))
    dangling = Builder()
    dangling.array([5])
    cases.append((dangling.build(0), "object 0 refers to object 5, which does not exist"))
    for encoded, reason in (
            (b"\x5f\x13" + (2**40).to_bytes(8, "big"), "truncated: object 0 runs past the "
             "end of the file"),
            (b"\xaf\x13" + (2**62).to_bytes(8, "big"), "truncated: object 0 runs past the "
             "end of the file"),
            (b"\x5f\x20", "object 0 has a malformed length"),
            (b"\x52\xff\xfe", "object 0 is a string that is not valid ASCII"),
            (b"\x61\xd8\x00", "object 0 is a string that is not valid UTF-16"),
            (b"\xc0", "object 0 is a set, which property lists do not have"),
            (b"\x70", "object 0 has the unknown type marker 0x70"),
            (b"\x33" + bytes.fromhex("7fe1ccf385ebc8a0"),  # 1e307 seconds
             "object 0 is a date outside the years 1 to 9999"),
    ):
        builder = Builder()
        builder.add(encoded)
        cases.append((builder.build(0), reason))
    for raw, reason in cases:
        assert found(raw) == corrupt(reason), reason


def test_nesting_deeper_than_xml_allows() -> None:
    builder = Builder()
    below = builder.add(ascii_string("x"))
    for _ in range(300):
        below = builder.array([below])
    pointer = "/0" * 255  # 256 arrays: the top and 255 below it
    assert found(builder.build(below)) == corrupt(
        "binary plist nests deeper than 256 levels", pointer)


def test_a_huge_shared_string_is_refused() -> None:
    builder = Builder()
    big = builder.add(data(b"\x00" * 1_000_000))
    top = builder.array([big] * 70)
    assert [rule for rule, *_ in found(builder.build(top))] == ["PAR012"]
    builder = Builder()
    big = builder.add(data(b"\x00" * 1_000_000))
    top = builder.array([big] * 60)
    assert found(builder.build(top)) == []


def _containers(children: Any) -> Any:
    return st.one_of(st.lists(children, max_size=5),
                     st.dictionaries(st.text(max_size=8), children, max_size=5))


plist_values: Any = st.recursive(
    st.one_of(
        st.text(max_size=20), st.integers(min_value=-(2**63), max_value=2**64 - 1),
        st.floats(allow_nan=False), st.booleans(), st.binary(max_size=40),
        st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1)).map(
            lambda d: d.replace(microsecond=0)),
    ),
    _containers,
    max_leaves=30,
)


@settings(max_examples=200, deadline=None)
@given(plist_values)
def test_reads_what_plistlib_writes(value: Any) -> None:
    doc = read_bytes(plistlib.dumps(value, fmt=plistlib.FMT_BINARY), "b.plist")
    assert doc.findings == []
    assert doc.root == plistlib.loads(plistlib.dumps(value, fmt=plistlib.FMT_BINARY))
