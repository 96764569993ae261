"""STR rules beyond their fixtures: severities that depend on the options."""

from __future__ import annotations

from tests.conftest import FIXTURES, lint_files


def test_str009_severity_follows_the_platforms() -> None:
    two_docks = FIXTURES / "positive" / "STR009" / "two-docks.mobileconfig"
    found = [(f.rule, f.severity.value, f.line, f.pointer, f.message)
             for f in lint_files([two_docks]) if f.rule == "STR009"]
    assert found == [("STR009", "error", 43, "/PayloadContent/2/PayloadType",
                      "a second com.apple.dock payload: Apple allows one per profile (the "
                      "first is at /PayloadContent/0)")]
    notifications = FIXTURES / "positive" / "STR009" / "once-on-ios-only.mobileconfig"
    assert [(f.severity.value, f.message) for f in lint_files([notifications])
            if f.rule == "STR009"] == [
        ("warning", "a second com.apple.notificationsettings payload: Apple allows one per "
                    "profile on iOS (the first is at /PayloadContent/0)")]
    assert [f.severity.value for f in lint_files([notifications],
                                                 platforms=frozenset({"ios"}))
            if f.rule == "STR009"] == ["error"]
