"""DDM: Declarative Device Management declarations, one file at a time: the envelope
(Type, Identifier, ServerToken), the URLs a device fetches, software update enforcement
values. Activation predicates and status items are in ddm_predicates, the declaration set
(references across files) in ddm_sets, the DeclarativeManagement command and check-in in
ddm_protocol. The schemas check the rest (schemas/declarations/, and for a Type the data
does not know the envelope, schemas/declaration-envelope.schema.json: a Payload that is not
an object is SCH001 there).
"""

from __future__ import annotations

from collections.abc import Iterator

from profilesmith.base.findings import Hit, Severity
from profilesmith.lint.context import Context
from profilesmith.lint.registry import rule
from profilesmith.plist.document import Document

MAX_OCTETS = 64  # Apple: Identifier and ServerToken "should not exceed 64 octets"
# how the variables of MDM servers begin ($FLEET_VAR_X, ${X}, {{x}}, %X%, <<X>>)
_VARIABLE_STARTS = ("$", "{{", "%", "<<")
ENFORCEMENT = "com.apple.configuration.softwareupdate.enforcement.specific"


@rule("DDM001", Severity.WARNING)
def unknown_declaration_type(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A declaration's Type is not a type of the bundled Apple data.

    Apple adds declaration types with each OS release; a type newer than the bundled data
    (the message names the data: its upstream commit and the newest OS version of each
    platform in it) is a warning, and only the envelope is checked (Type, Identifier,
    ServerToken, Payload an object), not its Payload. A close match is named: a misspelt
    type is refused by every device. A Type outside Apple's naming,
    com.apple.<activation|asset|configuration|management>.<name>, is an error: no device
    has such a declaration.

    Fails:   "Type": "com.apple.configuration.pascode.settings"
    Passes:  "Type": "com.apple.configuration.passcode.settings"
    """
    if doc.kind != "declaration" or not isinstance(doc.type, str):
        return
    from profilesmith.base.text import close_names
    from profilesmith.ddm import catalogue

    if catalogue.is_known(doc.type):
        return
    close = close_names(doc.type, catalogue.known_types(), cutoff=0.9)
    hint = f" (did you mean {' or '.join(close)}?)" if close else ""
    if catalogue.category_of(doc.type) is None:
        yield Hit("/Type", f"Type {doc.type!r} is not an Apple declaration type: Apple's are "
                  f"com.apple.<activation|asset|configuration|management>.<name>{hint}",
                  severity=Severity.ERROR)
        return
    yield Hit("/Type", f"Type {doc.type!r} is not in the bundled Apple data "
              f"({catalogue.release()}): newer than the data, or misspelt{hint}; only its "
              "envelope is checked, not its Payload")


@rule("DDM002", Severity.ERROR)
def blank_declaration_identifier(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A declaration's Identifier is an empty (or blank) string.

    The Identifier is how the device and the server tell declarations apart: activations
    name configurations by it, configurations name assets by it, the status report lists
    declarations by it. The schema asks only for a string, so "" passed it; a blank one
    cannot be told from another's.

    Fails:   "Identifier": ""
    Passes:  "Identifier": "com.example.passcode"
    """
    if doc.kind != "declaration":
        return
    value = doc.root.get("Identifier")
    if isinstance(value, str) and not value.strip():
        yield Hit("/Identifier", f"Identifier is {'empty' if not value else 'blank'}")


@rule("DDM003", Severity.WARNING)
def missing_server_token(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A declaration has no ServerToken (or an empty one).

    Apple requires it: the device compares ServerTokens to tell whether a declaration
    changed, and fetches it again only when its token did. Declarations kept in
    repositories often leave it out because the server writes it on upload (Fleet, KMFDDM
    and NanoHUB compute it from the content), so a warning; a declaration sent to devices
    as it is needs one that changes whenever the declaration does.

    Fails:   {"Type": "...", "Identifier": "com.example.passcode", "Payload": {...}}
    Passes:  {"Type": "...", "Identifier": "...", "ServerToken": "3", "Payload": {...}}
    """
    if doc.kind != "declaration":
        return
    value = doc.root.get("ServerToken")
    if "ServerToken" not in doc.root:
        yield Hit("/ServerToken", "ServerToken is missing: the device needs one to notice "
                  "changes (fine if the server adds it on upload)")
    elif isinstance(value, str) and not value.strip():
        yield Hit("/ServerToken", "ServerToken is empty: the device needs a token that "
                  "changes with the declaration")


@rule("DDM004", Severity.WARNING)
def long_declaration_token(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A declaration's Identifier or ServerToken is longer than 64 octets.

    Apple says neither should exceed 64 octets (bytes of UTF-8, not characters); servers
    and devices that store them in fixed fields may cut or refuse longer ones. A UUID
    (36 octets) or a short reverse-DNS name fits.

    Fails:   "Identifier": "com.example.configuration.softwareupdate.enforcement.macos.sequoia"
    Passes:  "Identifier": "com.example.softwareupdate.macos"
    """
    if doc.kind != "declaration":
        return
    for key in ("Identifier", "ServerToken"):
        value = doc.root.get(key)
        if isinstance(value, str) and len(value.encode("utf-8")) > MAX_OCTETS:
            yield Hit(f"/{key}", f"{key} is {len(value.encode('utf-8'))} octets long; Apple "
                      f"asks for at most {MAX_OCTETS}")


@rule("DDM020", Severity.ERROR)
def declaration_url_without_https(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A URL in a declaration that the device fetches is not https://.

    Apple's data says these URLs must start with https://: every asset's
    Reference/DataURL, a legacy (interactive) configuration's ProfileURL, the Apple Watch
    enrollment's EnrollmentProfileURL, a subscribed calendar's CalendarURL; the device
    does not fetch them otherwise (an error). Others are a warning, as http:// lets
    anyone on the way read or change what the device gets: the software update
    enforcement's DetailsURL, a managed app's ManifestURL, Exchange's OAuth SignInURL and
    TokenRequestURL. A value that is a variable some server fills in ($VAR, {{var}}) is
    left alone.

    Fails:   "ProfileURL": "http://mdm.example.com/profiles/wifi.mobileconfig"
    Passes:  "ProfileURL": "https://mdm.example.com/profiles/wifi.mobileconfig"
    """
    if doc.kind != "declaration" or not isinstance(doc.type, str):
        return
    from profilesmith.base.pointers import pointer_tokens
    from profilesmith.ddm import catalogue, values
    from profilesmith.mdm import urls

    for key in values.url_keys(doc.type, catalogue.category_of(doc.type)):
        value: object = doc.root
        for token in pointer_tokens(key.pointer):
            value = value.get(token) if isinstance(value, dict) else None
        if not isinstance(value, str) or value.lstrip().startswith(_VARIABLE_STARTS):
            continue  # a server's variable supplies the scheme and host
        problem = urls.problem(value, ("https",), no_scheme="is not an https:// URL",
                               wrong_scheme="uses {scheme}://, not https://")
        if problem is None:
            continue
        name = key.pointer.rsplit("/", 1)[-1]
        if key.required:
            yield Hit(key.pointer, f"{name} {problem}: Apple requires https:// here")
        else:
            yield Hit(key.pointer, f"{name} {problem}: anyone on the network path can read or "
                      "change what it serves", severity=Severity.WARNING)


@rule("DDM050", Severity.ERROR)
def malformed_enforcement_target(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A software update enforcement's target version or deadline is not in Apple's format.

    TargetOSVersion, TargetBuildVersion and TargetLocalDateTime: the schema asks only for
    strings. TargetOSVersion is a version number (17.4, 14.4.1);
    TargetBuildVersion a build (21E219, or 20A242a with a supplemental letter);
    TargetLocalDateTime the local time of the deadline as yyyy-mm-ddThh:mm:ss, RFC 3339
    without a time zone ("Z" or "+02:00" is not part of it: the device reads local time).
    A value in another form is one the device cannot read, and the update is not enforced.

    Fails:   "TargetLocalDateTime": "2025-09-21T01:00:00Z"
    Passes:  "TargetLocalDateTime": "2025-09-21T01:00:00"
    """
    if doc.kind != "declaration" or doc.type != ENFORCEMENT:
        return
    from profilesmith.ddm import values

    payload = doc.root.get("Payload")
    if not isinstance(payload, dict):
        return
    checks = (("TargetOSVersion", values.os_version_problem),
              ("TargetBuildVersion", values.build_problem),
              ("TargetLocalDateTime", values.local_time_problem))
    for key, check in checks:
        value = payload.get(key)
        if isinstance(value, str):
            problem = check(value)
            if problem is not None:
                yield Hit(f"/Payload/{key}", f"{key} {value!r} {problem}")
