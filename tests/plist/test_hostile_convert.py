"""convert and format on hostile input (issue 11): output bounded, every value kind
handled, formats guessed right or refused, limits said in our own words."""

from __future__ import annotations

from pathlib import Path

import pytest

from profilesmith.base import files
from profilesmith.plist import bounds
from profilesmith.plist.convert import ConvertError, dump, load
from profilesmith.plist.formatter import format_bytes
from tests.conftest import FIXTURES, need_shared, run_cli
from tests.plist.bplist_builder import Builder, ascii_string, data, integer_key, uid

HOSTILE = FIXTURES / "hostile"
UTF16 = ('<?xml version="1.0" encoding="UTF-16"?>\n'
         '<plist version="1.0"><dict><key>A</key><string>b</string></dict></plist>\n')


def convert(path: Path | str, target: str) -> tuple[int, str]:
    result = run_cli("convert", str(path), "--to", target, "-o", "-")
    return result.exit_code, result.output


@pytest.mark.parametrize(("target", "name"), [("xml", "XML"), ("json", "JSON"),
                                              ("yaml", "YAML"), ("binary", "binary")])
def test_aliases_that_expand_to_gigabytes_are_refused(target: str, name: str) -> None:
    source = HOSTILE / "yaml-aliases.yaml"
    # refused by the measure before writing: the message is the measure's, not the length's
    assert convert(source, target) == (
        2, f"profilesmith: {source}: the {name} output would be larger than 1048576 bytes "
        "(output may be 16 times its input and 1 MiB at least; shared values expand each "
        "time they are written); refused\n")


def test_measure_counts_shared_values_each_time() -> None:
    text = "x" * 100
    shared = [text] * 10
    assert bounds.written_size({"A": shared, "B": [shared, shared]}, 10**9) == (
        8 + (8 + 1 + 8 + 10 * 108) + (8 + 1 + 8 + 2 * (8 + 10 * 108)))
    assert bounds.written_size([[b"12345"] * 3] * 1000, 100) > 100
    loop: list[object] = []
    loop.append(loop)
    assert bounds.written_size(loop, 100) == 101


def test_format_refuses_output_the_reader_would_refuse(monkeypatch: pytest.MonkeyPatch) -> None:
    builder = Builder()
    blob = builder.add(data(b"\x00" * 600))
    raw = builder.build(builder.array([blob]))
    monkeypatch.setattr(files, "MAX_BYTES", 1000)
    assert format_bytes(raw, "b.plist").message == (
        "b.plist: the formatted file would be 1031 bytes, more than the 1000 bytes the reader "
        "accepts; left untouched")
    monkeypatch.setattr(bounds, "OUTPUT_LIMIT", 500)
    assert format_bytes(raw, "b.plist").message == (
        "b.plist: the formatted file would be larger than 500 bytes (the most the reader "
        "accepts; shared values expand each time they are written); left untouched")


def keyed_archive() -> bytes:
    builder = Builder()
    keys = [builder.add(ascii_string("$objects")), builder.add(ascii_string("$top"))]
    values = [builder.array([builder.add(uid(1))]), builder.add(uid(0))]
    return builder.build(builder.dict(keys, values))


@pytest.mark.parametrize("target", ["xml", "json", "yaml", "binary"])
def test_keys_that_are_not_strings_and_uids_are_refused(tmp_path: Path, target: str) -> None:
    odd = tmp_path / "keys.plist"
    odd.write_bytes(integer_key())
    archive = tmp_path / "archive.plist"
    archive.write_bytes(keyed_archive())
    assert convert(odd, target) == (
        2, f"profilesmith: {odd}: not a valid binary plist (a dictionary key is an integer, "
        "not a string) (PAR002)\n")
    assert convert(archive, target) == (
        2, f"profilesmith: {archive}: UID value: not a property-list type profiles allow "
        "(PAR014)\n")


def test_format_refuses_keys_that_are_not_strings(tmp_path: Path) -> None:
    odd = tmp_path / "keys.plist"
    odd.write_bytes(integer_key())
    result = run_cli("format", str(odd))
    assert (result.exit_code, result.output) == (
        2, f"profilesmith: {odd}: not a valid binary plist (a dictionary key is an integer, "
        "not a string) (PAR002); left untouched\n")
    assert odd.read_bytes() == integer_key()


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-16"])
def test_utf16_xml_is_read_as_a_plist(tmp_path: Path, encoding: str) -> None:
    source = tmp_path / "u.plist"
    source.write_bytes(UTF16.encode(encoding))
    assert convert(source, "json") == (0, '{\n  "A": "b"\n}\n')


def test_bytes_with_a_nul_are_refused_not_read_as_yaml(tmp_path: Path) -> None:
    source = tmp_path / "n.plist"
    source.write_bytes(b"abc: 1\x00\n")
    assert convert(source, "xml") == (
        2, f"profilesmith: {source}: not a property list, JSON or YAML (binary data: a NUL "
        "byte at offset 6)\n")
    named = tmp_path / "n.yaml"
    named.write_bytes(b"abc: 1\n\x00\n")
    assert convert(named, "xml") == (
        2, f"profilesmith: {named}:2: invalid YAML: the character U+0000 is not allowed in "
        "YAML text\n")


def test_limits_in_our_own_words(tmp_path: Path) -> None:
    cases = {
        "deep.json": ('{"a": ' + "[" * 300 + "]" * 300 + "}",
                      "JSON nests deeper than 256 levels (at /a" + "/0" * 255 + ")"),
        "deeper.json": ("[" * 100_000 + "]" * 100_000, "JSON nests deeper than 256 levels"),
        "big.json": ('{"A": ' + "9" * 5000 + "}", "an integer of 5000 digits: outside the "
                     "64-bit range property lists hold"),
        "deep.yaml": ("a: " + "[" * 300 + "]" * 300 + "\n",
                      "1: invalid YAML: nests deeper than 256 levels"),
        "deeper.yaml": ("a: " + "[" * 100_000 + "]" * 100_000 + "\n",
                        "invalid YAML: nests deeper than 256 levels"),
        "big.yaml": ("a:\n  b: " + "9" * 5000 + "\n", "2: an integer of 5000 digits: outside "
                     "the 64-bit range property lists hold"),
        "big.plist": ("<plist><dict><key>A</key><integer>" + "9" * 5000 + "</integer></dict>"
                      "</plist>", "1: an integer of 5000 digits: outside the 64-bit range "
                      "devices read (PAR007)"),
        "deep.plist": ("<plist>" + "<array>" * 300 + "</array>" * 300 + "</plist>",
                       "1: XML nests deeper than 256 levels (the reader's limit; no profile "
                       "comes near it) (PAR001)"),
    }
    for name, (text, message) in cases.items():
        source = tmp_path / name
        source.write_text(text)
        separator = "" if message[0].isdigit() else " "
        assert convert(source, "xml") == (
            2, f"profilesmith: {source}:{separator}{message}\n"), name


def test_a_value_at_the_nesting_limit_converts(tmp_path: Path) -> None:
    for name, text in (("ok.json", '{"a": ' + "[" * 255 + "1" + "]" * 255 + "}"),
                       ("ok.yaml", "a: " + "[" * 255 + "1" + "]" * 255 + "\n")):
        source = tmp_path / name
        source.write_text(text)
        for target in ("xml", "json", "yaml", "binary"):
            assert convert(source, target)[0] == 0, (name, target)


def test_yaml_refuses_what_no_plist_holds() -> None:
    import plistlib

    from profilesmith.plist.writer import NotRepresentable
    from profilesmith.plist.yaml_projection import dumps

    with pytest.raises(NotRepresentable) as caught:
        dumps({"$objects": [plistlib.UID(1)]})
    assert str(caught.value) == "a UID has no YAML form here"


def test_a_text_over_libxml2s_limit_in_our_own_words() -> None:
    from profilesmith.plist.reader import read_bytes

    data = b"<plist><dict><key>A</key><string>" + b"a" * 10_000_001 + b"</string></dict></plist>"
    assert [(f.rule, f.line, f.message) for f in read_bytes(data, "t.plist").findings] == [
        ("PAR001", 1, "XML holds a text of more than 10000000 bytes (the reader's limit for "
         "one value)")]


def test_an_xml_keyed_archive_converts_to_yaml_and_back(tmp_path: Path) -> None:
    # CF$UID dictionaries are plain dictionaries in XML (plistlib would make UIDs of them)
    source = HOSTILE / "keyed-archive-cf-uid.plist"
    code, text = convert(source, "yaml")
    assert (code, text) == (0, "$top:\n  root:\n    CF$UID: 1\n$objects:\n- $null\n")
    back = tmp_path / "back.yaml"
    back.write_text(text)
    assert convert(back, "json") == (
        0, '{\n  "$top": {\n    "root": {\n      "CF$UID": 1\n    }\n  },\n'
        '  "$objects": [\n    "$null"\n  ]\n}\n')


def test_indentation_is_measured_before_writing() -> None:
    # arrays 21 deep that hold the next one twice: 36 MB measured unindented, but each
    # line of XML and JSON carries its depth: about 200 MB of either written out
    builder = Builder()
    ref = builder.add(ascii_string("x"))
    for _ in range(21):
        ref = builder.array([ref, ref])
    loaded = load(builder.build(ref), "dag.plist")
    assert bounds.written_size(loaded.root, 10**12) < bounds.OUTPUT_LIMIT
    assert bounds.written_size(loaded.root, 10**12, bounds.XML) > 2 * bounds.OUTPUT_LIMIT
    for target, name in (("xml", "XML"), ("json", "JSON")):
        with pytest.raises(ConvertError) as refused:
            dump(loaded, target)  # type: ignore[arg-type]
        assert str(refused.value) == (
            f"dag.plist: the {name} output would be larger than 1048576 bytes (output may "
            "be 16 times its input and 1 MiB at least; shared values expand each time they "
            "are written); refused")


@pytest.mark.parametrize("target", ["xml", "json"])
def test_the_estimate_refuses_no_real_profile(target: str) -> None:
    # nothing the writers would fit in the limit may be refused by the estimate
    corpus = need_shared("corpus", "real-world")
    layout = {"xml": bounds.XML, "json": bounds.JSON}[target]
    checked = 0
    for path in sorted(corpus.rglob("*")):
        if not path.is_file() or path.suffix not in (".mobileconfig", ".plist"):
            continue
        try:
            loaded = load(path.read_bytes(), str(path))
        except Exception:  # unreadable or signed: convert refuses those first
            continue
        written = len(dump(loaded, target))
        estimate = bounds.written_size(loaded.root, 10**12, layout)
        assert written / bounds.SLACK < estimate < written * bounds.SLACK, path
        checked += 1
    assert checked > 250


def test_output_may_grow_sixteen_times_its_input_within_the_readers_limit() -> None:
    assert bounds.output_limit(316) == 2**20  # the floor: small files
    assert bounds.output_limit(2 * 2**20) == 32 * 2**20
    assert bounds.output_limit(10 * 2**20) == bounds.OUTPUT_LIMIT  # never past the reader's


def test_a_small_file_that_would_write_tens_of_megabytes_is_refused_before_writing() -> None:
    # within the reader's limit as XML, but tens of thousands of times its own bytes
    builder = Builder()
    ref = builder.add(ascii_string("x"))
    for _ in range(19):
        ref = builder.array([ref, ref])
    raw = builder.build(ref)
    loaded = load(raw, "dag.plist")
    assert bounds.written_size(loaded.root, 10**12, bounds.XML) < bounds.OUTPUT_LIMIT
    with pytest.raises(ConvertError) as refused:
        dump(loaded, "xml")
    assert str(refused.value).startswith("dag.plist: the XML output would be larger than "
                                         "1048576 bytes (output may be 16 times its input")


@pytest.mark.parametrize("target", ["xml", "binary", "json", "yaml"])
def test_the_dag_that_once_took_seconds_is_refused_before_anything_is_written(
        target: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # a million one-character strings from 91 bytes: JSON once wrote 17 MB of it before
    # checking the length (the fuzzer's timeouts); now the measure refuses it first
    from profilesmith.plist import convert

    loaded = load((FIXTURES / "fuzz" / "found" / "timeout-16x5-dag.bin").read_bytes(), "dag")
    monkeypatch.setattr(convert, "_dump", lambda *args: pytest.fail("written"))
    with pytest.raises(ConvertError) as refused:
        dump(loaded, target)  # type: ignore[arg-type]
    assert str(refused.value).startswith(
        f"dag: the {convert._NAMES[target]} output would be larger than 1048576 bytes")
