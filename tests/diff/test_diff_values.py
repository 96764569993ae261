"""The value differ under ``diff`` (UPD112): exact changes, and what is never shown."""

from __future__ import annotations

from datetime import UTC, datetime

from profilesmith.diff import compare
from profilesmith.diff.values import Change, changes, render, same
from profilesmith.plist.reader import read_bytes
from tests.conftest import FIXTURES, plist


def listed(old: object, new: object, pointer: str = "/P") -> list[tuple[str, str]]:
    return [(c.pointer, c.message) for c in changes(old, new, pointer)]


def test_plist_types_are_told_apart() -> None:
    assert same({"a": [1, "x"]}, {"a": [1, "x"]})
    assert not same(True, 1)
    assert not same(1, 1.0)
    assert not same({"a": [True]}, {"a": [1]})
    assert same(float("nan"), float("nan"))
    assert listed({"Enabled": True}, {"Enabled": 1}) == [
        ("/P/Enabled", "changed type from boolean to integer (true -> 1)")]


def test_dictionary_members_added_removed_changed() -> None:
    old = {"A": 1, "B": "x", "Nested": {"C": False}}
    new = {"A": 2, "Nested": {"C": False, "D/E": "y"}, "F": [1]}
    assert listed(old, new) == [
        ("/P/A", "changed from 1 to 2"),
        ("/P/B", "removed (was 'x')"),
        ("/P/Nested/D~1E", "added: 'y'"),
        ("/P/F", "added: <array, 1 items>"),
    ]


def test_scalar_arrays_are_multisets() -> None:
    caps = ["com.apple.mdm.per-user-connections"]
    assert listed(caps, ["com.apple.mdm.bootstraptoken", *caps]) == [
        ("/P/0", "item added: 'com.apple.mdm.bootstraptoken'")]
    assert listed(["a", "b", "c"], ["a", "c"]) == [("/P", "item removed: 'b'")]
    assert listed(["a", "b"], ["b", "a"]) == [("/P", "same items in another order")]
    # 1 and <true/> are different items (Python thinks them equal)
    assert listed([1, True], [True, True]) == [("/P", "item removed: 1"),
                                              ("/P/1", "item added: true")]
    assert listed(["a", "b", "c"], ["a", "x", "c", "d"]) == [
        ("/P", "item removed: 'b'"), ("/P/1", "item added: 'x'"), ("/P/3", "item added: 'd'")]


def test_arrays_of_dictionaries_compare_by_index() -> None:
    old = [{"k": 1}, {"k": 2}]
    new = [{"k": 1}, {"k": 3}, {"k": 4}]
    assert listed(old, new) == [("/P/1/k", "changed from 2 to 3"),
                                ("/P/2", "item added: <dictionary, 1 keys>")]
    assert listed(new, old) == [("/P/1/k", "changed from 3 to 2"),
                                ("/P", "item 2 removed (was <dictionary, 1 keys>)")]


def test_secrets_data_and_long_values_are_never_shown() -> None:
    old = {"Password": "hunter2-old", "PayloadContent": b"\x01\x02", "Name": "n" * 101,
           "Challenge": {"Inner": "abc"}, "When": datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)}
    new = {"Password": "hunter2-new", "PayloadContent": b"\x01\x02\x03", "Name": "m" * 101,
           "Challenge": {"Inner": "def"}, "When": datetime(2027, 1, 2, 3, 4, 5, tzinfo=UTC)}
    found = list(changes(old, new, ""))
    assert found == [
        Change("/Password", "changed (secret: values not shown)"),
        Change("/PayloadContent", "changed from <data, 2 bytes> to <data, 3 bytes>"),
        Change("/Name", "changed from <string, 101 characters> to <string, 101 characters>"),
        Change("/Challenge/Inner", "changed (secret: values not shown)"),
        Change("/When", "changed from 2026-01-02T03:04:05Z to 2027-01-02T03:04:05Z"),
    ]
    assert render("abc", "/Challenge") == "(secret: not shown)"
    # a Topic (60 characters) is shown, with its value for JSON
    topic = "com.apple.mgmt.External.5b1f0c52-7d3e-4a8b-9c61-2e4f8a0b7d13"
    assert list(changes(topic, topic + "x", "/Topic")) == [
        Change("/Topic", f"changed from {topic!r} to {topic + 'x'!r}", topic, topic + "x")]


def test_skipped_pointers_and_what_is_below_them() -> None:
    assert listed({"A": {"B": 1}, "C": 1}, {"A": {"B": 2}, "C": 2}, "") == [
        ("/A/B", "changed from 1 to 2"), ("/C", "changed from 1 to 2")]
    assert [c.pointer for c in changes({"A": {"B": 1}, "C": 1}, {"A": {"B": 2}, "C": 2}, "",
                                       {"/A"})] == ["/C"]


def test_secret_payload_keys_in_a_whole_comparison() -> None:
    def profile(password: str) -> bytes:
        return plist(
            "<dict><key>PayloadContent</key><array><dict>"
            "<key>Password</key><string>" + password + "</string>"
            "<key>PayloadIdentifier</key><string>com.example.p12</string>"
            "<key>PayloadType</key><string>com.apple.security.pkcs12</string>"
            "<key>PayloadUUID</key><string>5E1D7A10-0000-4000-8000-000000000001</string>"
            "<key>PayloadVersion</key><integer>1</integer></dict></array>"
            "<key>PayloadIdentifier</key><string>com.example.p</string>"
            "<key>PayloadType</key><string>Configuration</string>"
            "<key>PayloadUUID</key><string>5E1D7A10-0000-4000-8000-000000000000</string>"
            "<key>PayloadVersion</key><integer>1</integer></dict>")

    result = compare(read_bytes(profile("pw-one-secret"), "o"),
                     read_bytes(profile("pw-two-secret"), "n"))
    assert [(d.rule, d.pointer, d.message, d.old, d.new) for d in result.differences] == [
        ("UPD102", "/PayloadUUID",
         "the profile's PayloadUUID is unchanged although its content changed: MDM servers "
         "and tools that compare UUIDs may treat NEW as already installed; give NEW a new "
         "PayloadUUID", None, None),
        ("UPD112", "/PayloadContent/0/Password", "changed (secret: values not shown)", None,
         None),
    ]


def whole(old: bytes, new: bytes) -> list[tuple[str, str, str]]:
    result = compare(read_bytes(old, "o"), read_bytes(new, "n"))
    return [(d.rule, d.severity.value, d.pointer) for d in result.differences]


def test_encrypted_payloads_are_hidden_not_removed() -> None:
    case = FIXTURES / "diff" / "UPD114" / "positive" / "new-encrypted"
    assert whole((case / "old.mobileconfig").read_bytes(),
                 (case / "new.mobileconfig").read_bytes()) == [
        ("UPD114", "warning", "/EncryptedPayloadContent"),  # the most severe first
        ("UPD112", "info", "/EncryptedPayloadContent"),
        ("UPD112", "info", "/IsEncrypted"),
        ("UPD112", "info", "/PayloadContent"),
        ("UPD112", "info", "/PayloadUUID"),
    ]


def test_payload_content_that_is_not_an_array_is_one_value() -> None:
    head = ("<dict><key>PayloadIdentifier</key><string>com.example.p</string>"
            "<key>PayloadType</key><string>Configuration</string>"
            "<key>PayloadUUID</key><string>5E1D7A10-0000-4000-8000-00000000000{}</string>")
    old = plist(head.format(0) + "<key>PayloadContent</key><array/></dict>")
    new = plist(head.format(1) + "<key>PayloadContent</key><dict/></dict>")
    assert whole(old, new) == [("UPD112", "info", "/PayloadContent"),
                               ("UPD112", "info", "/PayloadUUID")]


def test_long_arrays_are_not_matched_item_by_item() -> None:
    old = [str(i) for i in range(1500)]
    new = [*old[1:], "x"]
    assert listed(old, new) == [("/P", "changed (1500 items -> 1500 items)")]


def test_control_characters_stay_out_of_the_text_report() -> None:
    import plistlib

    from profilesmith.diff.report import to_text

    def profile(name: str) -> bytes:
        # a binary plist: XML cannot carry an escape character
        return plistlib.dumps({"PayloadIdentifier": "com.example.p",
                               "PayloadType": "Configuration", "PayloadDisplayName": name,
                               "PayloadUUID": "5E1D7A10-0000-4000-8000-000000000000",
                               "PayloadContent": []}, fmt=plistlib.FMT_BINARY)

    result = compare(read_bytes(profile("a"), "o"), read_bytes(profile("b\x1b[2J\nc"), "n"))
    text = to_text(result)
    assert "  info UPD112 /PayloadDisplayName: changed from 'a' to <string, 7 characters>" in (
        text.splitlines())
    assert "\x1b" not in text
