"""Render one profile: values -> template -> reader -> engine -> canonical bytes (-> CMS).

The rendered text goes through the same reader and engine as ``lint``; an error-level
finding stops the build. What is written is the canonical XML form of the document the
engine checked (:func:`profilesmith.plist.writer.dumps_canonical`: keys sorted as plistlib
sorts them, tabs, ``profilesmith: ignore`` directives kept), so identical values give
identical bytes and a built profile is already what ``profilesmith format`` writes.
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from profilesmith.base.findings import Finding, Severity
from profilesmith.base.pointers import pointer_tokens
from profilesmith.lint.config import LintOptions
from profilesmith.render.coerce import Preparer
from profilesmith.render.templates import TemplateError, TemplateSpec
from profilesmith.render.uuids import UUIDSource
from profilesmith.render.values import ValueSet

RESERVED = ("payload_uuid", "output_name")
_KEY = re.compile(r"<key>([^<]*)</key>")


class BuildFailed(Exception):
    """The values, the template or the rendered profile are wrong; nothing is written.

    ``lines`` are ready to print; ``lint_errors`` tells the CLI to exit 1 (the profile
    has error findings) rather than 2 (bad values or template).
    """

    def __init__(self, lines: list[str], *, lint_errors: bool = False,
                 findings: Sequence[Finding] = ()) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines
        self.lint_errors = lint_errors
        self.findings = list(findings)  # the error findings, when lint_errors


@dataclass
class Output:
    name: str  # the output name the UUIDs derive from
    data: bytes
    findings: list[Finding] = field(default_factory=list)  # warnings and infos


class Builder:
    """A compiled template and its values schema, ready to build any number of profiles."""

    def __init__(
        self,
        spec: TemplateSpec,
        *,
        lint_options: LintOptions | None = None,
        random_uuids: bool = False,
        signer: Any = None,
    ) -> None:
        self.spec = spec
        self.template = spec.compile()
        self.preparer = Preparer(spec.schema)
        self.lint_options = lint_options if lint_options is not None else LintOptions()
        self.random_uuids = random_uuids
        self.signer = signer
        self._key_lines: dict[str, list[int]] | None = None

    def prepare(self, values: ValueSet) -> dict[str, Any]:
        """Typed, completed, validated values (raises ValuesError)."""
        prepared = self.preparer.prepare(values)
        clash = [name for name in RESERVED if name in prepared]
        if clash:
            from profilesmith.render.values import ValuesError

            raise ValuesError([f"values: {clash[0]!r} is reserved for the template's helpers"])
        return prepared

    def render_text(self, values: dict[str, Any], output_name: str) -> str:
        from jinja2 import TemplateError as JinjaError

        from profilesmith.plist.writer import NotRepresentable
        from profilesmith.render.environment import TemplateValueError, named

        context = named(values)
        context["payload_uuid"] = UUIDSource(output_name, random=self.random_uuids)
        context["output_name"] = output_name
        try:
            return str(self.template.render(context))
        except (JinjaError, TemplateValueError, NotRepresentable) as exc:
            raise BuildFailed([f"{self._template_line(exc)}: {_message(exc)}"]) from None
        except (TypeError, ValueError, ArithmeticError, LookupError) as exc:
            # an expression in the template failed on these values
            raise BuildFailed([f"{self._template_line(exc)}: "
                               f"{type(exc).__name__}: {exc}"]) from None

    def build(self, values: dict[str, Any], output_name: str) -> Output:
        """Render, re-read, lint; the canonical (and, with a signer, signed) bytes."""
        from profilesmith.lint.engine import lint_document
        from profilesmith.plist.reader import read_bytes
        from profilesmith.plist.writer import NotRepresentable, dumps_canonical

        text = self.render_text(values, output_name)
        # lxml: twice as fast as expat for a batch, and jinja2 outweighs its import
        doc = read_bytes(text.encode("utf-8"), f"{self.spec.display} (rendered)", tree=True)
        result = lint_document(doc, self.lint_options)
        errors = [f for f in result.findings if f.severity is Severity.ERROR]
        if errors or result.internal_errors:
            lines = [self.describe(f) for f in errors] + list(result.internal_errors)
            raise BuildFailed(lines, lint_errors=True, findings=errors)
        try:
            data = dumps_canonical(doc.root, suppressions=doc.suppressions)
        except NotRepresentable as exc:
            raise BuildFailed([f"{self.spec.display}: {exc}"]) from None
        if self.signer is not None:
            data = self.signer.sign(data)
        return Output(output_name, data, result.findings)

    # -- messages ----------------------------------------------------------------------

    def describe(self, finding: Finding) -> str:
        """A finding, placed on the template line that writes its key when that is
        unambiguous, else on the line of the rendered text."""
        line = self._template_line_of(finding.pointer)
        if line is not None:
            where = f"{self.spec.display}:{line}"
        else:
            where = finding.path
            if finding.line is not None:
                where += f":{finding.line}"
        return (f"{where}: {finding.severity.value} {finding.rule} {finding.message} "
                f"(at {finding.pointer or '/'})")

    def _template_line_of(self, pointer: str) -> int | None:
        if self._key_lines is None:
            self._key_lines = {}
            try:
                source = self.spec.source
            except (OSError, TemplateError):
                source = ""
            for number, text in enumerate(source.splitlines(), 1):
                for match in _KEY.finditer(text):
                    self._key_lines.setdefault(match.group(1), []).append(number)
        tokens = pointer_tokens(pointer)
        while tokens and tokens[-1].isdigit():
            tokens.pop()
        if not tokens:
            return None
        found = self._key_lines.get(tokens[-1], [])
        return found[0] if len(found) == 1 else None

    def _template_line(self, exc: BaseException) -> str:
        line = getattr(exc, "lineno", None)
        if line is None:
            names = {self.spec.template_name, self.spec.display}
            for frame in reversed(traceback.extract_tb(exc.__traceback__)):
                if frame.filename in names or frame.filename.endswith(self.spec.template_name):
                    line = frame.lineno
                    break
        return f"{self.spec.display}:{line}" if line else self.spec.display


def _message(exc: BaseException) -> str:
    from jinja2 import UndefinedError
    from jinja2.exceptions import SecurityError

    if isinstance(exc, UndefinedError):
        return str(exc.message or exc)
    if isinstance(exc, SecurityError):
        return f"refused by the template sandbox: {exc}"
    text = getattr(exc, "message", None) or str(exc)
    return str(text)
