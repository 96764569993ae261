"""The public API's result and error types (docs/api.md): :class:`Report`,
:class:`Verification`, :class:`Certificate`, :class:`Built` and the exceptions.

Immutable plain classes (no dataclasses: generating their methods costs import time on
every one-file lint, which imports this module). They wrap the internal results and
render them through the same reporters the CLI uses. Part of the ``api`` layer.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from datetime import datetime
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from profilesmith.base.findings import Finding, Severity

if TYPE_CHECKING:
    from profilesmith.cms.verify import CertSummary
    from profilesmith.cms.verify import Verification as Result
    from profilesmith.lint.reporters import Report as ReporterInput


class ProfilesmithError(Exception):
    """What the API refuses to do: one line each in ``lines``, safe to print (never a
    key, a password or a secret value); ``exit_code`` is the CLI's (2: usage errors,
    unreadable input; 1: a failed check)."""

    exit_code = 2

    def __init__(self, lines: str | Sequence[str]) -> None:
        self.lines: tuple[str, ...] = (lines,) if isinstance(lines, str) else tuple(lines)
        super().__init__("\n".join(self.lines))


class PasswordRequired(ProfilesmithError):
    """The private key or PKCS#12 file is encrypted and no password was given."""


class CertificateError(ProfilesmithError):
    """``strict=True``: the signer or recipient certificate would make the result fail
    (expired, not yet valid, a chain that does not reach the given anchors)."""

    exit_code = 1


class CertificateWarning(UserWarning):
    """The same problems as :class:`CertificateError`, when not ``strict``."""


class LintFailed(ProfilesmithError):
    """The profile has error findings (``strict``: warnings too), so nothing was made;
    ``report`` holds every finding."""

    exit_code = 1

    def __init__(self, report: Report, lines: Sequence[str] = ()) -> None:
        from profilesmith.lint.reporters.text_format import plain_line

        self.report = report
        super().__init__(list(lines) or [plain_line(f) for f in report.findings
                                          if report.failing(f)])


class _Frozen:
    __slots__: tuple[str, ...] = ()

    def _init(self, **values: Any) -> None:
        for name, value in values.items():
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")


class Report(_Frozen):
    """The result of a lint: ``findings`` (sorted), ``files`` (one read-only mapping per
    file, the JSON report's ``files`` entries), ``errors`` (what stopped the run or part
    of it: a file that could not be read, an internal error), ``strict`` and ``skipped``
    (files of directory walks that are no Apple device-management document), ``data``
    (which schemas the run checked against: the JSON report's ``data``)."""

    __slots__ = ("data", "errors", "files", "findings", "skipped", "strict")
    findings: tuple[Finding, ...]
    files: tuple[Mapping[str, Any], ...]
    errors: tuple[str, ...]
    strict: bool
    skipped: int
    data: Mapping[str, Any] | None

    def __init__(self, findings: Sequence[Finding] = (),
                 files: Sequence[Mapping[str, Any]] = (), *, errors: Sequence[str] = (),
                 strict: bool = False, skipped: int = 0,
                 data: Mapping[str, Any] | None = None) -> None:
        self._init(findings=tuple(sorted(findings)),
                   files=tuple(MappingProxyType(dict(entry)) for entry in files),
                   errors=tuple(errors), strict=strict, skipped=skipped,
                   data=None if data is None else MappingProxyType(dict(data)))

    def __repr__(self) -> str:
        return (f"Report(findings={len(self.findings)}, files={len(self.files)}, "
                f"errors={len(self.errors)}, exit_code={self.exit_code})")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Report):
            return NotImplemented
        return (self.findings, [dict(f) for f in self.files], self.errors, self.strict,
                self.skipped) == (other.findings, [dict(f) for f in other.files],
                                  other.errors, other.strict, other.skipped)

    __hash__ = None  # type: ignore[assignment]

    def failing(self, finding: Finding) -> bool:
        """Whether ``finding`` makes the lint fail: an error (``strict``: a warning too)."""
        return finding.severity is Severity.ERROR or (
            self.strict and finding.severity is Severity.WARNING)

    def count(self, severity: Severity | str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def exit_code(self) -> int:
        """The CLI's: 2 when there are errors, 1 when a finding fails, else 0."""
        if self.errors:
            return 2
        return 1 if any(self.failing(f) for f in self.findings) else 0

    def reporter_input(self) -> ReporterInput:
        """What the reporters of :mod:`profilesmith.lint.reporters` take."""
        from profilesmith.lint.reporters import Report as Input

        return Input(self.findings, [dict(f) for f in self.files], strict=self.strict,
                     skipped=self.skipped, errors=self.errors,
                     data=None if self.data is None else dict(self.data))

    def to_dict(self) -> dict[str, Any]:
        """The JSON report (``profilesmith lint --format json``) as a dict."""
        from profilesmith.lint.reporters.json_format import document

        return document(self.reporter_input())

    def render(self, format: str = "text", *, color: bool = False) -> str:
        """The report in a format of ``lint --format``: text, json, sarif, github, junit."""
        from profilesmith.lint.reporters import write

        stream = io.StringIO()
        write(format, self.reporter_input(), stream, color=color)
        return stream.getvalue()


class Certificate(_Frozen):
    """A certificate as a verification describes it."""

    __slots__ = ("issuer", "not_after", "not_before", "serial", "sha256", "signature_hash",
                 "subject")
    subject: str  # RFC 4514
    issuer: str
    not_before: datetime
    not_after: datetime
    serial: str  # upper-case hex
    sha256: str  # fingerprint, upper-case hex
    signature_hash: str | None

    def __init__(self, summary: CertSummary) -> None:
        self._init(subject=summary.subject, issuer=summary.issuer,
                   not_before=summary.not_before, not_after=summary.not_after,
                   serial=summary.serial, sha256=summary.sha256,
                   signature_hash=summary.signature_hash)

    def __repr__(self) -> str:
        return f"Certificate({self.subject!r})"


class Verification(_Frozen):
    """The result of :func:`profilesmith.verify`: ``status`` is ``verified``,
    ``unverified`` or ``unsigned``; ``reason`` is the first problem's code."""

    __slots__ = ("_now", "_result")
    _result: Result
    _now: datetime

    def __init__(self, result: Result, now: datetime) -> None:
        self._init(_result=result, _now=now)

    def __repr__(self) -> str:
        return f"Verification({self.path!r}, {self.status!r}, reason={self.reason!r})"

    @property
    def path(self) -> str:
        return self._result.path

    @property
    def status(self) -> str:
        return self._result.status

    @property
    def verified(self) -> bool:
        return self._result.verified

    @property
    def reason(self) -> str | None:
        return self._result.reason

    @property
    def problems(self) -> tuple[tuple[str, str], ...]:
        """(reason code, sentence) of each problem, the first one being ``reason``."""
        return tuple((p.reason, p.message) for p in self._result.problems)

    @property
    def warnings(self) -> tuple[str, ...]:
        return tuple(self._result.warnings)

    @property
    def signer(self) -> Certificate | None:
        signer = self._result.signer
        return None if signer is None else Certificate(signer)

    @property
    def chain(self) -> tuple[Certificate, ...]:
        """Signer first; the anchor last when ``anchored``."""
        return tuple(Certificate(c) for c in self._result.chain)

    @property
    def anchored(self) -> bool:
        return self._result.anchored

    @property
    def anchors(self) -> str | None:
        """Which trust anchors were used (files, or the system bundle)."""
        anchors = self._result.anchors
        return None if anchors is None else anchors.describe()

    @property
    def signing_time(self) -> datetime | None:
        return self._result.signing_time

    @property
    def checked_at(self) -> datetime:
        return self._now

    @property
    def content(self) -> bytes | None:
        """The signed profile, byte for byte — only when ``verified``."""
        return self._result.content if self.verified else None

    @property
    def exit_code(self) -> int:
        return 0 if self.verified else 1

    def with_warnings(self, *lines: str) -> Verification:
        """A copy with more warnings (shown in every format)."""
        import dataclasses

        result = dataclasses.replace(self._result, warnings=[*self._result.warnings, *lines])
        return Verification(result, self._now)

    def to_dict(self, *, extracted: str | None = None) -> dict[str, Any]:
        """``profilesmith verify --format json`` as a dict (``extracted``: where the
        verified content was written, if it was)."""
        from profilesmith.cms.verify_report import to_json

        return to_json(self._result, now=self._now, extracted=extracted)

    def render(self, format: str = "text", *, extracted: str | None = None) -> str:
        """text, json, github (an error annotation unless verified) or junit."""
        from profilesmith.cms.verify_report import status_line, to_text

        if format == "text":
            return to_text(self._result, now=self._now, extracted=extracted)
        if format == "json":
            import json

            return json.dumps(self.to_dict(extracted=extracted), indent=2) + "\n"
        from profilesmith.lint.reporters import verdicts

        text = to_text(self._result, now=self._now, extracted=extracted).splitlines()
        verdict = verdicts.Verdict(self.path, self.verified, status_line(self._result),
                                   [line.strip() for line in text[1:]])
        stream = io.StringIO()
        if format == "github":
            verdicts.write_github([verdict], stream)
        elif format == "junit":
            verdicts.write_junit([verdict], stream, suite="profilesmith verify")
        else:
            raise ValueError(f"unknown format {format!r} (text, json, github, junit)")
        return stream.getvalue()


class Built(_Frozen):
    """A built profile: ``data`` (canonical XML, or CMS when signed), the warnings and
    infos of its check as ``findings``, and each as a line placed on the template line
    that writes its key where that is unambiguous (``messages``)."""

    __slots__ = ("data", "findings", "messages")
    data: bytes
    findings: tuple[Finding, ...]
    messages: tuple[str, ...]

    def __init__(self, data: bytes, findings: Sequence[Finding] = (),
                 messages: Sequence[str] = ()) -> None:
        self._init(data=data, findings=tuple(findings), messages=tuple(messages))

    def __repr__(self) -> str:
        return f"Built({len(self.data)} bytes, findings={len(self.findings)})"
