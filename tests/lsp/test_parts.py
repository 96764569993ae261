"""The server's parts without a client: which documents are ours, the bytes the reader
gets, finding ranges, the tolerant outlines, schema facts, formatting edits, configs."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from lsprotocol import types

from profilesmith.base.findings import Finding, Severity
from profilesmith.lint.config import LintOptions
from profilesmith.lint.engine import lint_document
from profilesmith.lsp import documents, facts
from profilesmith.lsp.diagnostics import diagnostics, lint_text, span, token_end
from profilesmith.lsp.fixes import line_edits
from profilesmith.lsp.hover import describe
from profilesmith.lsp.jsonoutline import outline as json_outline
from profilesmith.lsp.options import Configs
from profilesmith.lsp.outline import locate, to_value
from profilesmith.lsp.text import LineIndex
from profilesmith.lsp.xmloutline import outline as xml_outline
from profilesmith.plist.reader import read_bytes

PLIST = '<?xml version="1.0"?>\n<plist version="1.0">\n<dict/>\n</plist>\n'
DECLARATION = '{"Type": "com.apple.configuration.passcode.settings", "Identifier": "a"}'


@pytest.mark.parametrize(("uri", "text", "language", "kind"), [
    ("file:///w/a.mobileconfig", "", "xml", "plist"),  # always ours, even empty
    ("file:///w/a.plist", PLIST, "xml", "plist"),
    ("file:///w/pom.xml", "<project><plist-ish/></project>", "xml", None),
    ("file:///w/a.xml", "<project/>", "xml", None),
    ("file:///w/d.json", DECLARATION, "json", "json"),
    ("file:///w/d.json", '{"StatusItems": {}}', "json", "json"),
    ("file:///w/package.json", '{"type": "module", "name": "x"}', "json", None),
    ("file:///w/p.json", '{"PayloadContent": [], "PayloadType": "Configuration"}', "json",
     "json"),  # a profile as convert --to json writes it
    ("untitled:Untitled-1", DECLARATION, "json", "json"),
    ("untitled:Untitled-2", PLIST, "xml", "plist"),
])
def test_which_documents_are_ours(uri: str, text: str, language: str,
                                  kind: str | None) -> None:
    assert documents.recognise(uri, text, language) == kind


def test_binary_documents_are_ours_only_when_the_file_on_disk_is(tmp_path: Path) -> None:
    signed = tmp_path / "signed.mobileconfig"
    signed.write_bytes(b"\x30\x82\x12\x34\x06\x09*\x86H\x86\xf7\r\x01\x07\x02")
    mangled = signed.read_bytes().decode("utf-8", errors="replace")
    assert documents.recognise(signed.as_uri(), mangled) == "binary"
    assert documents.recognise("untitled:x", mangled) is None  # nothing on disk to read
    binary = tmp_path / "b.plist"
    binary.write_bytes(b"bplist00\xd1\x01\x02")
    assert documents.recognise(binary.as_uri(), "bplist00\ufffd") == "binary"


def test_paths_of_uris() -> None:
    assert documents.path_of("file:///w/My%20Profiles/a.mobileconfig") == \
        os.path.normpath("/w/My Profiles/a.mobileconfig")
    assert documents.path_of("untitled:Untitled-1") is None


def test_reader_bytes_keep_the_editors_lines() -> None:
    # a lone CR is a line break for LSP, not for libxml2: it becomes a newline
    text = '<plist>\r<dict>\r\n<key>A</key><integer>1</integer><key>A</key><integer>2</integer>' \
           "</dict></plist>"
    data = documents.reader_bytes(text)
    assert data == text.replace("\r<dict>", "\n<dict>").encode()
    findings = lint_document(read_bytes(data, "x"), LintOptions()).findings
    # the second <key>A: the editor's line 2 (0-based), so the reader's line 3
    assert [f.line for f in findings if f.rule == "STR001"] == [3]
    declared = '<?xml version="1.0" encoding="UTF-16"?>\n<plist><string>é</string></plist>'
    encoded = documents.reader_bytes(declared)
    assert encoded.startswith(b"\xff\xfe")
    assert encoded.decode("utf-16") == declared
    assert read_bytes(encoded, "x").root == "é"


def _finding(line: int | None, column: int | None) -> Finding:
    return Finding("x", line, column, "", "SCH001", Severity.ERROR, "m")


def test_finding_ranges() -> None:
    text = ("<plist>\n"
            "\t<dict>\n"
            "\t\t<key>A</key><string>x &lt; y</string>\n"
            "\t\t<key>B</key><array><string>a</string><array/></array>\n"
            '\t\t"Port": "8443",\n')
    index = LineIndex(text)
    line2 = index.offset(2, 0)
    assert span(index, _finding(None, None)) == (0, 7)  # no line: the first line
    assert span(index, _finding(3, None)) == (line2 + 2, line2 + 39)  # no column: the line
    assert span(index, _finding(3, 15)) == (line2 + 14, line2 + 39)  # <string>..</string>
    assert span(index, _finding(2, 2)) == (index.offset(1, 1), index.offset(1, 7))  # <dict>
    assert span(index, _finding(None, None), binary=True) == (0, 0)
    line4 = index.line(3)
    assert token_end(line4, line4.index("<array>")) == len(line4)  # nested, same line
    assert token_end(line4, line4.index("<array/>")) == line4.index("<array/>") + 8
    line5 = index.line(4)
    assert token_end(line5, line5.index('"8443"')) == line5.index('"8443"') + 6
    assert token_end("abc def", 4) == 7
    assert token_end("abc", 3) == 3


def test_xml_outline_of_half_typed_text() -> None:
    text = ("<plist><dict><key>PayloadContent</key><array><dict>\n"
            "<key>PayloadType</key><string>com.apple.mdm</string>\n"
            "<key>AccessRi\n"
            "<key>Topic</key><string>com.apple.mgmt.x</string>\n"
            "<ke")
    outline = xml_outline(text)
    assert to_value(outline.root) == {"PayloadContent": [
        {"PayloadType": "com.apple.mdm", "AccessRi": None, "Topic": "com.apple.mgmt.x"}]}
    at = text.index("AccessRi") + 8
    cursor = locate(outline.root, at)
    assert cursor is not None
    assert (cursor.where, cursor.tokens, cursor.replace) == (
        "key", ("PayloadContent", "0"), (at - 8, at))
    end = len(text)
    cursor = locate(outline.root, end, outline.partial_at(end))
    assert cursor is not None
    assert (cursor.where, cursor.tokens, cursor.replace) == (
        "key-slot", ("PayloadContent", "0"), (end - 3, end))
    inside = text.index("com.apple.mgmt") + 3
    cursor = locate(outline.root, inside)
    assert cursor is not None
    assert cursor.where == "value"
    assert cursor.tokens == ("PayloadContent", "0", "Topic")


def test_xml_outline_value_slot_and_entities() -> None:
    text = "<plist><dict><key>A&amp;B</key>\n  \n<key>C</key><true/></dict></plist>"
    outline = xml_outline(text)
    assert to_value(outline.root) == {"A&B": None, "C": True}
    cursor = locate(outline.root, text.index("\n  \n") + 2)
    assert cursor is not None
    assert (cursor.where, cursor.tokens) == ("value-slot", ("A&B",))


def test_json_outline_of_half_typed_text() -> None:
    text = '{"Type": "com.apple.configuration.x",\n "Payload": {"Mode": "Al\n'
    outline = json_outline(text)
    assert to_value(outline.root) == {"Type": "com.apple.configuration.x",
                                      "Payload": {"Mode": "Al"}}
    cursor = locate(outline.root, len(text) - 1)
    assert cursor is not None
    assert (cursor.where, cursor.tokens) == ("value", ("Payload", "Mode"))
    assert text[cursor.replace[0]:cursor.replace[1]] == "Al"
    missing_comma = json_outline('{"A": 1 "B": 2}')
    assert to_value(missing_comma.root) == {"A": 1, "B": 2}
    missing_value = json_outline('{"A": \n "B": "x"}')
    assert to_value(missing_value.root) == {"A": None, "B": "x"}


def test_facts_of_a_payload_key() -> None:
    root = {"PayloadContent": [{"PayloadType": "com.apple.mdm"}]}
    located = facts.locate(root, ["PayloadContent", "0", "ManagedAppleID"])
    assert located is not None
    assert located.file == "payloads/com.apple.mdm.schema.json"
    assert located.label == "com.apple.mdm payload"
    assert facts.plist_type(located.schema or {}) == "string"
    assert facts.requirement(located) == "optional"
    assert facts.platforms((located.schema or {}).get("x-platforms")) == [
        "Platforms: iOS 13.1+ (deprecated 17.0, removed 18.0), macOS 10.15+ (deprecated "
        "14.0, removed 15.0); not on tvOS, visionOS, watchOS"]
    topic = facts.locate(root, ["PayloadContent", "0", "Topic"])
    assert topic is not None
    assert facts.requirement(topic) == "required"
    unknown = facts.locate(root, ["PayloadContent", "0", "Nope"])
    assert unknown is not None
    assert unknown.schema is None
    assert describe(unknown) == [
        "**Nope** is not a key of the com.apple.mdm payload (its schema lists every key)"]
    top = facts.locate(root, ["PayloadContnet"])
    assert top is not None
    assert describe(top) == [
        "**PayloadContnet** is not a key of the profile (its schema lists every key)"]
    assert facts.locate(root, ["PayloadContent", "0", "Nope", "deeper"]) is None
    # a payload whose type has no schema: the keys every payload has
    other = facts.locate({"PayloadContent": [{"PayloadType": "org.example.x"}]},
                         ["PayloadContent", "0", "PayloadUUID"])
    assert other is not None
    assert other.label == "payload"
    assert facts.requirement(other) == "required"


def test_platform_conditions() -> None:
    assert facts.platforms({"iOS": {"introduced": "5.0", "supervised": True,
                                    "userenrollment": {"mode": "forbidden"}},
                            "macOS": {"introduced": "n/a"}}) == [
        "Platforms: iOS 5.0+; not on macOS",
        "Conditions on iOS: supervised only; user enrollment: mode forbidden"]


def test_format_edits_are_the_changed_lines() -> None:
    old = "a\nb\nc\nd\n"
    new = "a\nB\nc\nd\ne\n"
    edits = line_edits(old, new)
    assert [(e.start, e.end, e.text) for e in edits] == [(2, 4, "B\n"), (8, 8, "e\n")]


def test_configs_follow_the_nearest_file_and_its_changes(tmp_path: Path) -> None:
    project = tmp_path / "repo"
    (project / "profiles").mkdir(parents=True)
    configs = Configs()
    assert configs.resolve(str(project / "profiles")).config is None
    config = project / ".profilesmith.toml"
    config.write_text('ignore = ["SEC"]\n')
    assert configs.resolve(str(project / "profiles")).config is None  # remembered ...
    configs.forget()  # ... until the server hears of a new config file
    resolved = configs.resolve(str(project / "profiles"))
    assert resolved.config == str(config)
    assert resolved.options.ignore == ("SEC",)
    config.write_text('ignore = ["SEC", "SCP102"]\n')
    os.utime(config, ns=(time.time_ns() + 10**9,) * 2)  # edited: read again, no notice
    assert configs.resolve(str(project / "profiles")).options.ignore == ("SEC", "SCP102")
    config.write_text("ignore = 3\n")
    os.utime(config, ns=(time.time_ns() + 2 * 10**9,) * 2)
    broken = configs.resolve(str(project / "profiles"))
    assert broken.error == f"{config}: ignore must be a list of rule IDs or prefixes"
    assert broken.options.ignore == ()  # the defaults meanwhile


def test_diagnostics_beyond_the_limit_are_counted(tmp_path: Path) -> None:
    profile = Path(__file__).resolve().parent / "data" / "enrollment.mobileconfig"
    linted = lint_text(profile.read_text(encoding="utf-8"), str(tmp_path / "a.mobileconfig"),
                       "plist", Configs(), fallback_directory=str(tmp_path), display="a")
    shown = diagnostics(linted, "utf-16", limit=2)
    assert [d.code for d in shown] == ["SEC101", "SCP102", None]
    assert shown[-1].message == "3 more finding(s) not shown; run profilesmith lint on the file"
    assert shown[-1].severity == types.DiagnosticSeverity.Information
    assert shown[-1].range == types.Range(start=types.Position(line=0, character=0),
                                          end=types.Position(line=0, character=0))


def test_settings_take_what_is_well_formed() -> None:
    from profilesmith.lsp.server import Settings

    settings = Settings()
    assert (settings.debounce, settings.large_file, settings.max_diagnostics,
            settings.docs_url) == (0.3, 2_000_000, 1000, None)
    settings.update({"debounceMs": 120, "largeFileChars": 5000, "maxDiagnostics": 10,
                     "docsUrl": "https://x.example/{rule}"})
    assert (settings.debounce, settings.large_file, settings.max_diagnostics,
            settings.docs_url) == (0.12, 5000, 10, "https://x.example/{rule}")
    settings.update({"debounceMs": True, "largeFileChars": 0, "maxDiagnostics": "9",
                     "docsUrl": ""})
    assert (settings.debounce, settings.large_file, settings.max_diagnostics,
            settings.docs_url) == (0.12, 5000, 10, None)
    settings.update(None)
    assert settings.debounce == 0.12
