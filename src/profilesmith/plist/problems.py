"""The problems the readers report (rule family PAR), decided where a file is decoded.

The readers know what makes a file unreadable, so each PAR rule's severity and the
modules that report it live here, beside them; ``lint/rules/parse.py`` documents the
rules and registers them with these facts, and the engine applies configuration on top.
"""

from __future__ import annotations

from profilesmith.base.findings import Severity

ERROR, WARNING = Severity.ERROR, Severity.WARNING

_XML = "profilesmith.plist.xmlplist"
_READER = "profilesmith.plist.reader"
_BINARY = "profilesmith.plist.binary"
_BPLIST = "profilesmith.plist.bplist"  # the decoder binary reports through
_JSON = "profilesmith.plist.json_reader"

# rule ID -> (severity, the modules that report it)
PROBLEMS: dict[str, tuple[Severity, tuple[str, ...]]] = {
    "PAR001": (ERROR, (_XML,)),
    "PAR002": (ERROR, (_READER, _XML, _BINARY, _BPLIST)),
    "PAR003": (ERROR, (_XML,)),
    "PAR004": (ERROR, (_XML, _JSON)),
    "PAR005": (ERROR, (_XML, _JSON)),
    "PAR006": (ERROR, (_XML,)),
    "PAR007": (ERROR, (_XML, _BINARY, _JSON)),
    "PAR008": (ERROR, (_XML,)),
    "PAR009": (ERROR, (_XML,)),
    "PAR010": (ERROR, (_READER,)),
    "PAR011": (WARNING, (_READER,)),
    "PAR012": (ERROR, (_READER, _BPLIST)),
    "PAR013": (ERROR, (_READER,)),
    "PAR014": (ERROR, (_BINARY, _JSON)),
    "PAR015": (WARNING, (_XML,)),
    "PAR016": (ERROR, (_XML,)),
    "PAR017": (ERROR, (_JSON,)),
}


def severity(rule_id: str) -> Severity:
    return PROBLEMS[rule_id][0]
