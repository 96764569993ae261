"""AVL findings: what Apple's supportedOS data (``x-platforms`` in the schemas) says about
the payloads, commands, declarations and keys of a document on the platforms, OS versions
and deployment a run targets (rules/schema.py documents the rules).

A key inherits its parent's facts (the payload's, then its parent key's) platform by
platform, and its own entry updates them field by field; a key is never available earlier
than its parent. A fact is reported where the data states it, once: a key of a payload that
is unavailable on a platform says nothing more about that platform, and a condition the
payload already states is not repeated for each of its keys.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from profilesmith.base.findings import Hit, Severity
from profilesmith.base.platforms import PLATFORM_NAMES, Deployment, Version, parse_version
from profilesmith.base.platforms import version_text as _text
from profilesmith.base.pointers import parent_pointer, pointer_tokens

Facts = Mapping[str, Any]
_ORDER = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}
_ON = " (@)"  # a condition's reason ends so: it is said once, naming the platforms


class _Found:
    """Reasons for one rule at one pointer, and the most severe of their severities."""

    __slots__ = ("reasons", "severity")

    def __init__(self) -> None:
        # reason -> the platforms it holds on ("": the reason names its platform)
        self.reasons: dict[str, list[str]] = {}
        self.severity = Severity.INFO

    def add(self, reason: str, platform: str, severity: Severity) -> None:
        self.reasons.setdefault(reason, []).append(platform)
        if _ORDER[severity] > _ORDER[self.severity]:
            self.severity = severity

    def text(self) -> str:
        return "; ".join(reason if not all(where) else f"{reason} ({', '.join(where)})"
                         for reason, where in self.reasons.items())


def findings(root: str, label: str, name: Any, limits: Mapping[str, Facts],
             platforms: Sequence[str], minimums: Mapping[str, Version],
             deployment: Deployment, *, device_sent: bool = False
             ) -> Iterator[tuple[str, Hit]]:
    """(rule, Hit) for every pointer of ``limits`` (pointer -> its own x-platforms), the
    document's dictionary being at ``root`` (``label`` names it, ``name(pointer)`` a key).
    ``device_sent``: a message a device wrote (a response, a check-in, a status report),
    which shows what its own OS had: a removal is never an error there."""
    effective: dict[str, dict[str, Facts]] = {}
    for pointer in sorted(limits, key=lambda p: len(pointer_tokens(p))):
        parent = _parent(pointer, root, effective)
        inherited = effective.get(parent, {}) if parent is not None else {}
        mine: dict[str, Facts] = {}
        found: dict[str, _Found] = {}
        for platform in platforms:
            apple = PLATFORM_NAMES.get(platform, platform)
            above = inherited.get(apple, {})
            own = limits[pointer].get(apple)
            own = own if isinstance(own, Mapping) else {}
            mine[apple] = {**above, **own}
            if parent is not None and _unavailable(above, minimums.get(platform)):
                continue  # said where the parent is reported
            for rule, reason, severity in _reasons(apple, own, above, minimums.get(platform),
                                                   deployment):
                where = ""
                if reason.endswith(_ON):
                    reason, where = reason[:-len(_ON)], apple
                found.setdefault(rule, _Found()).add(reason, where, severity)
        effective[pointer] = mine
        what = label if pointer == root else name(pointer)
        for rule in sorted(found):
            entry = found[rule]
            if rule == "AVL001" and pointer != root:
                rule = "AVL002"
            severity = entry.severity
            if device_sent and severity is Severity.ERROR:
                severity = Severity.WARNING
            yield rule, Hit(pointer, f"{what}: {entry.text()}", severity=severity)


def _parent(pointer: str, root: str, effective: Mapping[str, Any]) -> str | None:
    """The nearest enclosing pointer with facts of its own (the document's root last)."""
    if pointer == root:
        return None
    at = parent_pointer(pointer)
    while at is not None and len(at) >= len(root):
        if at in effective:
            return at
        at = parent_pointer(at)
    return root if root in effective else None


def _unavailable(facts: Facts, minimum: Version | None) -> bool:
    if facts.get("introduced") == "n/a":
        return True
    if "removed" not in facts:
        return False
    removed = parse_version(facts["removed"])
    return minimum is None or removed is None or removed <= minimum


def _reasons(platform: str, own: Facts, above: Facts, minimum: Version | None,
             deployment: Deployment) -> Iterator[tuple[str, str, Severity]]:
    if own.get("introduced") == "n/a":
        yield "AVL001", f"not available on {platform}", Severity.WARNING
        return
    if "removed" in own and "removed" not in above:
        yield _removed(platform, own["removed"], minimum)
    if _unavailable(own, minimum):
        return  # removed for every targeted device: nothing else matters there
    if minimum is not None:
        introduced = parse_version(own.get("introduced"))
        before = parse_version(above.get("introduced"))
        if introduced is not None and introduced > minimum and (
                before is None or introduced > before):
            yield ("AVL003", f"introduced in {platform} {_text(introduced)} (the oldest "
                   f"version targeted is {_text(minimum)}; older devices ignore it)",
                   Severity.WARNING)
        deprecated = parse_version(own.get("deprecated"))
        if deprecated is not None and "deprecated" not in above:
            if deprecated <= minimum:
                yield ("AVL004", f"deprecated in {platform} {_text(deprecated)}",
                       Severity.WARNING)
            else:
                yield ("AVL004", f"deprecated from {platform} {_text(deprecated)} on",
                       Severity.INFO)
    if deployment.stated:
        yield from _conditions(platform, own, above, deployment)


def _removed(platform: str, text: Any, minimum: Version | None) -> tuple[str, str, Severity]:
    removed = parse_version(text)
    if removed == (0,):  # "removed: '0'" (manifesturl.yaml): never there
        return "AVL001", f"not available on {platform}", Severity.WARNING
    if removed is None or minimum is None:
        return "AVL001", f"removed in {platform} {text}", Severity.WARNING
    if removed <= minimum:
        return "AVL001", f"removed in {platform} {_text(removed)}", Severity.ERROR
    return ("AVL001", f"removed in {platform} {_text(removed)} (devices from then on ignore "
            f"it; the oldest version targeted is {_text(minimum)})", Severity.WARNING)


def _stated(field: str, own: Facts, above: Facts) -> Any:
    """The value ``own`` gives ``field`` when it is news (the parent says otherwise)."""
    if field not in own or above.get(field) == own[field]:
        return None
    return own[field]


def _mode(field: str, own: Facts, above: Facts) -> str | None:
    mode = (own.get(field) or {}).get("mode") if isinstance(own.get(field), Mapping) else None
    before = above.get(field)
    before = before.get("mode") if isinstance(before, Mapping) else None
    return mode if mode != before else None


def _conditions(platform: str, own: Facts, above: Facts,
                deployment: Deployment) -> Iterator[tuple[str, str, Severity]]:
    supervised = deployment.is_supervised
    enrollment = deployment.enrollment
    on = _ON
    if _stated("supervised", own, above) is True and supervised is False:
        yield "AVL005", f"needs a supervised device{on}", Severity.WARNING
    if _stated("requiresdep", own, above) is True and enrollment not in (None, "ade"):
        yield "AVL005", f"needs Automated Device Enrollment{on}", Severity.WARNING
    if _stated("userapprovedmdm", own, above) is True and enrollment == "manual":
        yield ("AVL005", f"needs user-approved MDM, which a profile installed by hand lacks{on}",
               Severity.WARNING)
    if _stated("allowmanualinstall", own, above) is False and enrollment == "manual":
        yield "AVL005", f"cannot be installed by hand, only through MDM{on}", Severity.WARNING
    mode = _mode("userenrollment", own, above)
    if enrollment == "user" and mode == "forbidden":
        yield "AVL006", f"not allowed in a user enrollment{on}", Severity.WARNING
    elif enrollment == "user" and mode == "ignored":
        yield "AVL006", f"ignored in a user enrollment{on}", Severity.INFO
    elif enrollment not in (None, "user") and mode == "required":
        yield "AVL006", f"only in a user enrollment{on}", Severity.WARNING
    if platform == "iOS":
        mode = _mode("sharedipad", own, above)
        if deployment.shared_ipad is True and mode == "forbidden":
            yield "AVL006", f"not allowed on a Shared iPad{on}", Severity.WARNING
        elif deployment.shared_ipad is True and mode == "ignored":
            yield "AVL006", f"ignored on a Shared iPad{on}", Severity.INFO
        elif deployment.shared_ipad is False and mode == "required":
            yield "AVL006", f"only on a Shared iPad{on}", Severity.WARNING
    allowed = _stated("allowed-enrollments", own, above)
    if isinstance(allowed, list):
        kinds = _enrollment_kinds(deployment)
        if kinds and not any(k in allowed for k in kinds):
            yield ("AVL006", f"not available in {' or '.join(kinds)} enrollments (only "
                   f"{', '.join(allowed)}){on}", Severity.WARNING)


def _enrollment_kinds(deployment: Deployment) -> tuple[str, ...]:
    """Apple's allowed-enrollments words that describe the deployment (any of them)."""
    if deployment.enrollment == "user":
        return ("user",)
    supervised = deployment.is_supervised
    if deployment.enrollment in ("device", "ade") or supervised is not None:
        if supervised is True:
            return ("supervised",)
        if supervised is False:
            return ("device",)
        return ("supervised", "device")
    return ()
