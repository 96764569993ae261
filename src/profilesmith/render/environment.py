"""The sandboxed Jinja environment templates render in (docs/authoring.md).

- ``SandboxedEnvironment``: templates cannot reach Python internals; bounded in time and
  in the size of what they compute and write (:mod:`profilesmith.render.sandbox`);
- ``StrictUndefined`` (as :class:`MissingValue`): a value the template needs but nobody
  gave is an error naming it, not an empty string;
- autoescape, and ``finalize`` escaping every ``{{ string }}`` for XML (a carriage return
  as ``&#13;``, characters XML cannot carry refused);
- filters: ``plist`` writes any value as a typed plist element (``<string>``,
  ``<integer>``, ``<real>``, ``<true/>``, ``<data>``, ``<date>``, ``<array>``,
  ``<dict>``), ``x500`` turns ``O=Example/CN=%SerialNumber%`` (or a list of pairs, or a
  mapping) into the nested arrays SCEP and ACME payloads want, ``unhex`` turns a hex
  digest (colons allowed) into bytes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from importlib.resources.abc import Traversable
from typing import Any

from jinja2 import BaseLoader, Environment, StrictUndefined, TemplateNotFound
from jinja2.sandbox import SandboxedEnvironment
from jinja2.utils import missing
from markupsafe import Markup, escape

from profilesmith.plist.writer import NotRepresentable, fragment, xml_text


class TemplateValueError(ValueError):
    """A value a template filter cannot use (a malformed subject, a null...)."""


class ValueDict(dict[str, Any]):
    """A values mapping that knows its dotted name, for messages about missing members."""

    # no __dict__: the sandbox's getattr then knows every attribute an instance has
    __slots__ = ("_ps_path",)
    _ps_path: str

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._ps_path = ""


def named(value: Any, path: str = "") -> Any:
    """Values as the template sees them: mappings become :class:`ValueDict`."""
    if isinstance(value, dict):
        result = ValueDict()
        for k, v in value.items():
            # a scalar (most values) is itself: no name made for it, no call
            result[k] = named(v, f"{path}.{k}" if path else k) \
                if isinstance(v, dict | list) else v
        result._ps_path = path
        return result
    if isinstance(value, list):
        return [named(v, f"{path}[{i}]") if isinstance(v, dict | list) else v
                for i, v in enumerate(value)]
    return value


class MissingValue(StrictUndefined):
    """StrictUndefined whose message names the value by its dotted name."""

    @property
    def _undefined_message(self) -> str:
        if self._undefined_hint:
            return self._undefined_hint
        name = self._undefined_name
        owner = self._undefined_obj
        if owner is missing:
            return f"value {name!r} is not set"
        if isinstance(owner, ValueDict):
            full = f"{owner._ps_path}.{name}" if owner._ps_path else str(name)
            return f"value {full!r} is not set"
        return f"{type(owner).__name__} has no attribute or item {name!r}"


def finalize(value: Any) -> Any:
    if isinstance(value, Markup) or not isinstance(value, str):
        return value
    return Markup(xml_text(value))


# Markup(text) for a str without __html__: the object Markup.__new__ (Python code, on
# every plist element) would make
_markup: Callable[[str], Markup] = partial(str.__new__, Markup)


def output_piece(value: Any) -> str:
    """What ``{{ value }}`` writes (BoundedEnvironment.output_piece): the text of
    ``escape(finalize(value))``, which copies a Markup (every plist element, every
    macro's output) to the same text once or twice through Markup's Python constructor.
    Only exact types take the short ways: a Markup subclass may have its own __html__."""
    kind = type(value)
    if kind is Markup:
        return value  # type: ignore[no-any-return]
    if kind is str:
        return xml_text(value)  # finalize's Markup, which escape leaves as it is
    return escape(finalize(value))


def plist_filter(value: Any) -> Markup:
    if isinstance(value, StrictUndefined):
        str(value)  # raises the "not set" error
    try:
        return _markup(fragment(value))
    except NotRepresentable as exc:
        raise TemplateValueError(str(exc)) from None


_PAIR = re.compile(r"\s*([A-Za-z][A-Za-z0-9]*|[0-9]+(?:\.[0-9]+)+)\s*=(.*)", re.DOTALL)


def x500_filter(subject: Any) -> list[list[list[str]]]:
    """``/C=US/O=Example/CN=x`` -> ``[[["C","US"]], [["O","Example"]], [["CN","x"]]]``.

    ``\\/`` is a slash inside a value. Lists of pairs, already-nested lists (several
    pairs in one relative distinguished name) and mappings are accepted as well.
    """
    if isinstance(subject, str):
        return [[list(pair)] for pair in _split_subject(subject)]
    if isinstance(subject, dict):
        return [[[str(k), _text(v)]] for k, v in subject.items()]
    if isinstance(subject, list):
        result = []
        for item in subject:
            if _is_pair(item):
                result.append([[str(item[0]), str(item[1])]])
            elif isinstance(item, list) and item and all(_is_pair(p) for p in item):
                result.append([[str(p[0]), str(p[1])] for p in item])
            else:
                raise TemplateValueError(f"x500: {item!r} is not a [type, value] pair")
        return result
    raise TemplateValueError(f"x500: a subject must be a string or a list, not {subject!r}")


def _text(value: Any) -> str:
    if isinstance(value, str | int) and not isinstance(value, bool):
        return str(value)
    raise TemplateValueError(f"x500: {value!r} is not a string")


def _is_pair(item: Any) -> bool:
    return (isinstance(item, list | tuple) and len(item) == 2
            and all(isinstance(p, str) for p in item))


def _split_subject(text: str) -> list[tuple[str, str]]:
    body = text[1:] if text.startswith("/") else text
    parts = re.split(r"(?<!\\)/", body)
    pairs = []
    for part in parts:
        match = _PAIR.fullmatch(part)
        if not match:
            raise TemplateValueError(
                f"x500: {part!r} in subject {text!r} is not TYPE=value (O=Example/CN=name)"
            )
        pairs.append((match.group(1), match.group(2).replace("\\/", "/")))
    return pairs


def unhex_filter(text: Any) -> bytes:
    """``"AB:CD:EF"`` (or with spaces, or none) -> bytes, for digests like CAFingerprint."""
    cleaned = re.sub(r"[\s:]", "", str(text))
    try:
        return bytes.fromhex(cleaned)
    except ValueError:
        raise TemplateValueError(f"unhex: {text!r} is not hexadecimal") from None


class ResourceLoader(BaseLoader):
    """Templates from a directory of the installed package (importlib.resources)."""

    def __init__(self, root: Traversable) -> None:
        self.root = root

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        entry = self.root
        for part in template.split("/"):
            if part in ("", ".", ".."):
                raise TemplateNotFound(template)
            entry = entry / part
        if not entry.is_file():
            raise TemplateNotFound(template)
        return entry.read_text(encoding="utf-8"), template, lambda: True


def make_environment(loader: BaseLoader) -> SandboxedEnvironment:
    """The sandbox, bounded in time and size (render.sandbox)."""
    from profilesmith.render.sandbox import BoundedEnvironment, attributes_are_the_class

    env = BoundedEnvironment(
        loader=loader,
        autoescape=True,
        undefined=MissingValue,
        finalize=finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        extensions=["jinja2.ext.do"],
    )
    env.output_piece = output_piece
    attributes_are_the_class(ValueDict)
    env.filters["plist"] = plist_filter
    env.filters["x500"] = x500_filter
    env.filters["unhex"] = unhex_filter
    env.bounded_filters()
    return env
