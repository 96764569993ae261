"""Where the schemas come from: the bundled ones, those generated from a user's newer copy
of Apple's data (``--apple-data DIR``, cached per data release), the user's own
(``--schemas DIR``) and ProfileManifests (``--manifests DIR``).

:func:`activate` makes a layout of these the one :mod:`profilesmith.schema.bundle` reads
(once per process: the engine calls it for every document, the CLI once before linting, so
that forked workers inherit it). With nothing but the bundled data nothing here runs but a
comparison; the generator (and PyYAML) is imported only to fill an empty cache.

The cache: ``<user cache>/profilesmith/apple-data/<release>/`` holds a complete schemas
directory (generated files, and copies of the bundled curated ones, which win as they do
in the repository) and ``release.json``. ``<release>`` is a hash of the data's YAML files
and of the generator's own source, so a newer release, an overlay or a newer profilesmith
gets its own directory; writes go to a temporary directory renamed into place.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from profilesmith.base.lazyre import lazy
from profilesmith.schema import bundle
from profilesmith.schema.bundle import Layout, SourceError

__all__ = ["Layout", "SourceError", "activate", "import_apple_data"]

DATA_FOLDERS = ("mdm", "declarative", "other")
RELEASE_FILE = bundle.RELEASE_FILE
_COMMIT = lazy(r"\b[0-9a-f]{40}\b")


BUNDLED = Layout()
_active: list[tuple[tuple[str | None, tuple[str, ...], str | None], Layout]] = []


def cache_root() -> Path:
    """The user's cache directory for profilesmith (PROFILESMITH_CACHE_DIR wins)."""
    given = os.environ.get("PROFILESMITH_CACHE_DIR")
    if given:
        return Path(given)
    home = Path.home()
    if sys.platform == "darwin":
        return home / "Library" / "Caches" / "profilesmith"
    if sys.platform == "win32":
        local = os.environ.get("LOCALAPPDATA")
        return (Path(local) if local else home / "AppData" / "Local") / "profilesmith" / "Cache"
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else home / ".cache") / "profilesmith"


def _check_apple(directory: Path) -> None:
    if not (directory / "mdm" / "profiles").is_dir():
        raise SourceError(f"{directory}: not a copy of Apple's device-management data "
                          "(no mdm/profiles)")


def release(directory: Path) -> str:
    """The data release: a hash of the YAML files (paths and bytes) and the generator."""
    import hashlib

    digest = hashlib.sha256()
    generator = Path(__file__).resolve().parent / "generate"
    for path in sorted(generator.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    for folder in DATA_FOLDERS:
        top = directory / folder
        for path in sorted(top.rglob("*.yaml")) if top.is_dir() else []:
            digest.update(path.relative_to(directory).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def commit_of(directory: Path) -> str | None:
    """The commit Apple's README names (a copy of the repository states it)."""
    try:
        match = _COMMIT.search((directory / "README.md").read_text(encoding="utf-8"))
    except OSError:
        return None
    return match.group(0) if match else None


def import_apple_data(directory: str | os.PathLike[str]) -> tuple[Path, dict[str, Any], bool]:
    """Generate the schemas of a copy of Apple's data into the cache unless they are
    there: (the cache directory, its release.json, whether it was generated now)."""
    source = Path(directory).resolve()
    _check_apple(source)
    name = release(source)
    target = cache_root() / "apple-data" / name
    info_path = target / RELEASE_FILE
    if info_path.is_file():
        info: dict[str, Any] = json.loads(info_path.read_text(encoding="utf-8"))
        return target, info, False
    _generate(source, target)
    info = json.loads(info_path.read_text(encoding="utf-8"))
    return target, info, True


def _generate(source: Path, target: Path) -> list[str]:
    import shutil
    import tempfile

    from profilesmith.base import resources
    from profilesmith.schema.generate import common
    from profilesmith.schema.generate.common import GenerateError
    from profilesmith.schema.generate.run import dumps, generate, write

    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".tmp-", dir=target.parent))
    try:
        notes: list[str] = []
        # the bundled curated files first: the generator keeps them, as in the repository
        bundled = resources.root("schemas")
        for relative in _json_files(bundled):
            data = bundled.joinpath(*relative.split("/")).read_bytes()
            if b'"x-generated"' not in data:
                path = scratch / relative
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
        common.LENIENT.append(notes)
        try:
            write(scratch, generate(source, scratch))
        except (GenerateError, KeyError, TypeError, ValueError) as exc:
            raise SourceError(f"{source}: cannot generate schemas from it ({exc})") from None
        finally:
            common.LENIENT.pop()
        info = {"release": target.name, "apple": commit_of(source), "source": str(source),
                "notes": notes}
        (scratch / RELEASE_FILE).write_text(dumps(info), encoding="utf-8")
        try:
            os.rename(scratch, target)
        except OSError:
            if not (target / RELEASE_FILE).is_file():  # not another process's win
                raise
        return notes
    finally:
        if scratch.exists():
            shutil.rmtree(scratch, ignore_errors=True)


def _json_files(root: Any, prefix: str = "") -> list[str]:
    found = []
    for entry in root.iterdir():
        name = f"{prefix}{entry.name}"
        if entry.is_dir():
            found.extend(_json_files(entry, f"{name}/"))
        elif entry.name.endswith(".json"):
            found.append(name)
    return found


def activate(apple_data: str | None = None, schema_dirs: tuple[str, ...] = (),
             manifests: str | None = None) -> Layout:
    """Make the schemas of these directories the ones :mod:`bundle` reads; raises
    SourceError. Cheap when nothing changed since the last call."""
    key = (apple_data, schema_dirs, manifests)
    if _active and _active[-1][0] == key:
        return _active[-1][1]
    if key == (None, (), None) and not bundle.active():
        return BUNDLED  # nothing to switch: keep what is compiled
    apple = None
    if apple_data is not None:
        apple = str(import_apple_data(apple_data)[0])
    for directory in (*schema_dirs, *([manifests] if manifests else [])):
        if not os.path.isdir(directory):
            raise SourceError(f"{directory}: not a directory")
    layout = Layout(apple, None if apple_data is None else str(Path(apple_data).resolve()),
                    tuple(str(Path(d).resolve()) for d in schema_dirs),
                    None if manifests is None else str(Path(manifests).resolve()))
    if layout.user or layout.manifests:
        from profilesmith.schema import extra

        bundle.use(layout, (lambda relative: extra.payload_schema(layout, relative),
                            lambda: extra.payload_types(layout)))
        extra.check(layout)  # every user schema and manifest, now: a usage error if bad
    else:
        bundle.use(layout)
    _active[:] = [(key, layout)]
    return layout
