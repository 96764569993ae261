"""The Jinja environment: the plist filter, escaping, x500, and exact round trips."""

from __future__ import annotations

import plistlib
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from profilesmith.plist.reader import read_bytes
from profilesmith.render.build import Builder, BuildFailed
from profilesmith.render.environment import TemplateValueError, plist_filter, x500_filter
from profilesmith.render.templates import load_template
from profilesmith.render.values import Origin, Text, ValuesError, ValueSet

XML_CHARS = st.characters(
    blacklist_categories=("Cs",),
    blacklist_characters="".join(chr(c) for c in range(32) if c not in (9, 10, 13))
    + "\ufffe\uffff",
)
SPECIALS = st.sampled_from(["&", "<", ">", "]]>", '"', "'", "&amp;", "<![CDATA[", "\r\n",
                            "\r", "😀", "\u2028", "{{ x }}", "{% raw %}", "%SerialNumber%"])
NASTY = st.lists(st.one_of(st.text(XML_CHARS, max_size=8), SPECIALS), max_size=8).map("".join)


@pytest.fixture(scope="module")
def profile_builder() -> Builder:
    return Builder(load_template("profile"))


def values(tree: dict[str, object]) -> ValueSet:
    return ValueSet(tree, {}, Origin("test"))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=NASTY, key=NASTY.filter(lambda k: k and not k.startswith("Payload")))
def test_strings_round_trip_exactly(profile_builder: Builder, text: str, key: str) -> None:
    prepared = profile_builder.prepare(values({
        "identifier": Text("com.example.t"),
        "display_name": Text(text or "x"),
        "description": Text(text),
        "payloads": [{"PayloadType": Text("com.example.custom"), key: Text(text),
                      "List": [Text(text)]}],
    }))
    output = profile_builder.build(prepared, "t.mobileconfig")
    doc = read_bytes(output.data, "t.mobileconfig")
    assert doc.findings == []
    assert doc.root["PayloadDescription"] == text
    assert doc.root["PayloadDisplayName"] == (text or "x")
    payload = doc.root["PayloadContent"][0]
    assert payload[key] == text
    assert payload["List"] == [text]
    # another parser (plistlib stands in for a device's) reads the same
    assert plistlib.loads(output.data)["PayloadContent"][0][key] == text


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x08", "\x0b", "\x1f", "\ufffe", "\uffff"])
def test_characters_xml_cannot_carry_are_a_clear_error(profile_builder: Builder,
                                                       char: str) -> None:
    with pytest.raises(ValuesError) as caught:
        profile_builder.prepare(ValueSet(
            {"identifier": Text("com.example.t"),
             "payloads": [{"PayloadType": Text("x"), "Note": Text(f"a{char}b")}]},
            {("payloads", 0, "Note"): Origin("v.yaml", 7)}, Origin("v.yaml")))
    assert caught.value.problems == [
        f"v.yaml:7: payloads[0].Note: contains U+{ord(char):04X}, which XML cannot carry"
    ]


def test_every_string_xml_cannot_carry_is_named(profile_builder: Builder) -> None:
    # one search of all the strings finds them; each is named
    with pytest.raises(ValuesError) as caught:
        profile_builder.prepare(ValueSet(
            {"identifier": Text("com.example.t"), "display_name": Text("a\x01b"),
             "payloads": [{"PayloadType": Text("x"), "No\x0bte": Text("ok"),
                           "List": [Text("fine"), Text("c\x1fd")]}]},
            {("payloads", 0): Origin("v.yaml", 7)}, Origin("v.yaml")))
    assert caught.value.problems == [
        "v.yaml: display_name: contains U+0001, which XML cannot carry",
        "v.yaml:7: payloads[0].No\x0bte: contains U+000B, which XML cannot carry",
        "v.yaml:7: payloads[0].List[1]: contains U+001F, which XML cannot carry",
    ]


def test_plist_filter_types() -> None:
    cases: list[tuple[object, str]] = [
        ("a&<>]]>", "<string>a&amp;&lt;&gt;]]&gt;</string>"),
        ("cr\r", "<string>cr&#13;</string>"),
        (True, "<true/>"),
        (False, "<false/>"),
        (7, "<integer>7</integer>"),
        (1.0, "<real>1.0</real>"),
        (b"\x00\x01", "<data>\nAAE=\n</data>"),
        (datetime(2024, 1, 2, 3, 4, 5), "<date>2024-01-02T03:04:05Z</date>"),
        (datetime(2024, 1, 2, 5, 4, 5, tzinfo=UTC).astimezone(),
         "<date>2024-01-02T05:04:05Z</date>"),
    ]
    for value, expected in cases:
        assert str(plist_filter(value)) == expected
    assert str(plist_filter({"b": [1], "a": {}})) == (
        "<dict>\n\t<key>a</key>\n\t<dict/>\n\t<key>b</key>\n\t<array>\n\t\t<integer>1</integer>"
        "\n\t</array>\n</dict>"
    )
    for bad in (None, object(), "\x07"):
        with pytest.raises(TemplateValueError):
            plist_filter(bad)


def test_x500() -> None:
    assert x500_filter("/C=US/O=Example\\/Sub/CN=%SerialNumber%") == [
        [["C", "US"]], [["O", "Example/Sub"]], [["CN", "%SerialNumber%"]]]
    assert x500_filter("O=A=B/2.5.4.5=123") == [[["O", "A=B"]], [["2.5.4.5", "123"]]]
    assert x500_filter([["O", "x"], [["OU", "a"], ["OU", "b"]]]) == [
        [["O", "x"]], [["OU", "a"], ["OU", "b"]]]
    assert x500_filter({"O": "x", "CN": "y"}) == [[["O", "x"]], [["CN", "y"]]]
    for bad in ("O=x//CN=y", "just text", [["O"]], 5):
        with pytest.raises(TemplateValueError):
            x500_filter(bad)


def test_bad_subject_names_the_template_line() -> None:
    builder = Builder(load_template("scep"))
    prepared = builder.prepare(values({
        "identifier": Text("com.example.s"),
        "scep": {"url": Text("https://s.acme.test"), "subject": Text("no pairs here")},
    }))
    with pytest.raises(BuildFailed) as caught:
        builder.build(prepared, "s.mobileconfig")
    (line,) = caught.value.lines
    assert line.startswith("scep.mobileconfig.j2:")
    assert line.endswith("x500: 'no pairs here' in subject 'no pairs here' is not TYPE=value "
                         "(O=Example/CN=name)")
    assert not caught.value.lint_errors


def test_template_syntax_errors_name_the_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from profilesmith.render.templates import TemplateError

    path = tmp_path / "bad.mobileconfig.j2"
    path.write_text("<plist>\n{% if %}\n</plist>\n")
    with pytest.raises(TemplateError) as caught:
        Builder(load_template(str(path)))
    assert str(caught.value).endswith(":2: template syntax error: Expected an expression, "
                                      "got 'end of statement block'")
