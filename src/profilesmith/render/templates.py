"""Finding templates: bundled ones by name, user ones by path, each with its values schema.

Bundled templates live in ``templates/`` at the top of the repository and ship in the
wheel (:mod:`profilesmith.base.resources` knows where).
A template is ``<name>.mobileconfig.j2``; its values schema, a JSON Schema 2020-12
document, is ``<name>.values.schema.json`` beside it. A user template is any path ending
in ``.j2`` (or any existing file); its schema is looked up the same way and is optional.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from functools import cached_property
from importlib.resources.abc import Traversable
from typing import TYPE_CHECKING, Any

from profilesmith.base import resources

if TYPE_CHECKING:
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

SUFFIX = ".mobileconfig.j2"
SCHEMA_SUFFIX = ".values.schema.json"


class TemplateError(Exception):
    """A template or values schema that cannot be used (exit 2)."""


def bundled_root() -> Traversable:
    return resources.root("templates")


def bundled_names() -> list[str]:
    root = bundled_root()
    if not root.is_dir():
        return []
    return sorted(
        entry.name[: -len(SUFFIX)]
        for entry in root.iterdir()
        if entry.name.endswith(SUFFIX) and not entry.name.startswith("_")
    )


@dataclass
class TemplateSpec:
    """A template ready to compile, with its (checked) values schema."""

    name: str  # bundled name, or the path as given
    display: str  # how messages name the template file
    template_name: str  # name inside the Jinja loader
    loader: Any  # jinja2.BaseLoader
    schema: dict[str, Any] | None
    _compiled: Any = field(default=None, repr=False)

    @property
    def description(self) -> str:
        if self.schema is None:
            return ""
        text = self.schema.get("description") or self.schema.get("title") or ""
        return str(text).strip()

    @cached_property
    def environment(self) -> SandboxedEnvironment:
        """The sandboxed environment over ``loader`` (one per template)."""
        from profilesmith.render.environment import make_environment

        return make_environment(self.loader)

    @cached_property
    def source(self) -> str:
        text, _, _ = self.loader.get_source(self.environment, self.template_name)
        return str(text)

    def compile(self) -> jinja2.Template:
        if self._compiled is None:
            import jinja2

            try:
                self._compiled = self.environment.get_template(self.template_name)
            except jinja2.TemplateSyntaxError as exc:
                raise TemplateError(
                    f"{exc.filename or self.display}:{exc.lineno}: template syntax error: "
                    f"{exc.message}"
                ) from None
            except jinja2.TemplateNotFound as exc:
                raise TemplateError(f"{self.display}: template {exc.name!r} not found") from None
        compiled: jinja2.Template = self._compiled
        return compiled


def is_path(name: str) -> bool:
    """A user template's path, not a bundled name (a bundled name wins over a file of the
    same name in the working directory; write ./name for the file)."""
    if os.sep in name or "/" in name or name.endswith(".j2"):
        return True
    return os.path.isfile(name) and name not in bundled_names()


def load_template(name: str) -> TemplateSpec:
    """A bundled template by name, or a user template by path."""
    return _user_template(name) if is_path(name) else _bundled_template(name)


def _bundled_template(name: str) -> TemplateSpec:
    from profilesmith.render.environment import ResourceLoader

    root = bundled_root()
    entry = root / f"{name}{SUFFIX}"
    if name.startswith("_") or not entry.is_file():
        known = ", ".join(bundled_names()) or "none"
        raise TemplateError(f"unknown template {name!r} (bundled: {known}; "
                            "or give the path of a .j2 file)")
    schema_entry = root / f"{name}{SCHEMA_SUFFIX}"
    schema = None
    if schema_entry.is_file():
        # a bundled schema is checked against the metaschema by the tests, not on every
        # run: importing and running jsonschema cost more than building a hundred rows
        schema = _parse_schema(schema_entry.read_text(encoding="utf-8"), schema_entry.name,
                               check=False)
    return TemplateSpec(
        name=name,
        display=f"{name}{SUFFIX}",
        template_name=f"{name}{SUFFIX}",
        loader=ResourceLoader(root),
        schema=schema,
    )


def _user_template(path: str) -> TemplateSpec:
    import jinja2

    from profilesmith.render.environment import ResourceLoader

    if not os.path.isfile(path):
        raise TemplateError(f"{path}: no such template file")
    directory, base = os.path.split(os.path.abspath(path))
    stem = base[: -len(SUFFIX)] if base.endswith(SUFFIX) else base.removesuffix(".j2")
    schema_path = os.path.join(os.path.dirname(path), stem + SCHEMA_SUFFIX)
    schema = None
    if os.path.isfile(schema_path):
        try:
            with open(schema_path, encoding="utf-8") as handle:
                text = handle.read()
        except (OSError, UnicodeDecodeError) as exc:
            raise TemplateError(f"{schema_path}: cannot read ({exc})") from None
        schema = _parse_schema(text, schema_path)
    return TemplateSpec(
        name=path,
        display=path,
        template_name=base,
        # the template's own directory first, then the bundled macros (_payloads.j2)
        loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(directory),
                                    ResourceLoader(bundled_root())]),
        schema=schema,
    )


def _parse_schema(text: str, where: str, *, check: bool = True) -> dict[str, Any]:
    try:
        schema = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TemplateError(f"{where}:{exc.lineno}: invalid JSON ({exc.msg})") from None
    if check:
        check_schema(schema, where)
    return schema  # type: ignore[no-any-return]


def jsonschema_module() -> Any:
    """The jsonschema package (untyped: no stubs are installed), imported on first use."""
    import importlib

    module = importlib.import_module("jsonschema")
    importlib.import_module("jsonschema.exceptions")
    return module


def check_schema(schema: Any, where: str) -> None:
    """A values schema must be a valid JSON Schema 2020-12 document describing an object."""
    jsonschema = jsonschema_module()
    try:
        jsonschema.Draft202012Validator.check_schema(schema)
    except jsonschema.exceptions.SchemaError as exc:
        at = "/".join(str(p) for p in exc.absolute_path)
        raise TemplateError(
            f"{where}: not a valid JSON Schema 2020-12 document: {exc.message}"
            + (f" (at /{at})" if at else "")
        ) from None
    if not isinstance(schema, dict) or schema.get("type") != "object":
        raise TemplateError(f"{where}: a values schema must have \"type\": \"object\"")
