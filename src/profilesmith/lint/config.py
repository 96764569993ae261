"""Lint options: from ``[tool.profilesmith]`` in pyproject.toml or ``.profilesmith.toml``."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from profilesmith.base.findings import Severity, rule_selected
from profilesmith.base.platforms import (
    ENROLLMENTS,
    NO_DEPLOYMENT,
    PLATFORMS,
    Deployment,
    Version,
    parse_version,
)

CONFIG_NAMES = (".profilesmith.toml", "pyproject.toml")


class ConfigError(Exception):
    """A configuration file or option is invalid (a usage error: exit 2)."""


class LintOptions:
    """What a lint run is configured with. Treated as immutable: ``with_changes`` makes
    a new one. (A plain class: dataclass generation costs import time on every lint.)"""

    __slots__ = ("apple_data", "deployment", "expiry_warning_days", "ignore", "manifests",
                 "minimums", "now", "per_file_ignores", "platforms", "root", "schema_dirs",
                 "select", "severity", "strict")

    def __init__(
        self,
        *,
        select: tuple[str, ...] = (),
        ignore: tuple[str, ...] = (),
        per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = (),
        severity: Mapping[str, Severity] | None = None,
        platforms: frozenset[str] = frozenset(),
        minimums: Mapping[str, Version] | None = None,
        deployment: Deployment = NO_DEPLOYMENT,
        apple_data: str | None = None,
        schema_dirs: tuple[str, ...] = (),
        manifests: str | None = None,
        now: datetime | None = None,
        expiry_warning_days: int = 30,
        strict: bool = False,
        root: str = ".",  # the directory per-file-ignores globs are relative to
    ) -> None:
        self.select = select
        self.ignore = ignore
        self.per_file_ignores = per_file_ignores
        self.severity: Mapping[str, Severity] = severity if severity is not None else {}
        self.platforms = platforms
        # platform -> the oldest OS version targeted (only for platforms given one)
        self.minimums: Mapping[str, Version] = minimums if minimums is not None else {}
        self.deployment = deployment
        self.apple_data = apple_data  # a checkout of Apple's device-management data
        self.schema_dirs = schema_dirs  # directories of the user's own schemas
        self.manifests = manifests  # a checkout of ProfileManifests
        self.now: datetime = now if now is not None else datetime.now(UTC)
        self.expiry_warning_days = expiry_warning_days
        self.strict = strict
        self.root = root

    def with_changes(self, **changes: Any) -> LintOptions:
        values = {name: getattr(self, name) for name in self.__slots__}
        values.update(changes)
        return LintOptions(**values)

    def enabled(self, rule_id: str) -> bool:
        if self.select and not rule_selected(self.select, rule_id):
            return False
        return not rule_selected(self.ignore, rule_id)

    def ignored_for(self, path: str, rule_id: str) -> bool:
        if not self.per_file_ignores or path == "-":
            return False
        relative = os.path.relpath(os.path.abspath(path), os.path.abspath(self.root))
        relative = relative.replace(os.sep, "/")
        import fnmatch  # only with per-file-ignores

        for pattern, rules in self.per_file_ignores:
            if rule_selected(rules, rule_id) and (
                fnmatch.fnmatch(relative, pattern) or fnmatch.fnmatch(path, pattern)
            ):
                return True
        return False

    def severity_of(self, rule_id: str, default: Severity) -> Severity:
        """The configured severity: an exact rule ID wins over the longest prefix."""
        if rule_id in self.severity:
            return self.severity[rule_id]
        prefixes = [p for p in self.severity if p == "ALL" or rule_id.startswith(p)]
        if not prefixes:
            return default
        return self.severity[max(prefixes, key=lambda p: 0 if p == "ALL" else len(p))]



_KEYS = {
    "select", "ignore", "extend-ignore", "per-file-ignores", "severity", "platforms",
    "expiry-warning-days", "supervised", "enrollment", "shared-ipad", "apple-data",
    "schemas", "manifests",
}


def find_config(start: str = ".") -> str | None:
    """The nearest .profilesmith.toml, or pyproject.toml with [tool.profilesmith]."""
    directory = os.path.abspath(start)
    while True:
        for name in CONFIG_NAMES:
            candidate = os.path.join(directory, name)
            if os.path.isfile(candidate) and (
                name != "pyproject.toml" or _has_tool_table(candidate)
            ):
                return candidate
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def _has_tool_table(path: str) -> bool:
    try:
        return "profilesmith" in _load_toml(path).get("tool", {})
    except ConfigError:
        return True  # let load_config report the broken file


def _load_toml(path: str) -> dict[str, Any]:
    import tomllib

    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML ({exc})") from None


def load_config(path: str | None, base: LintOptions | None = None) -> LintOptions:
    """Options from a config file laid over ``base`` (defaults when None)."""
    options = base or LintOptions()
    if path is None:
        return options
    data = _load_toml(path)
    if os.path.basename(path) == "pyproject.toml":
        data = data.get("tool", {}).get("profilesmith", {})
    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise ConfigError(f"{path}: unknown option(s) {', '.join(unknown)}")
    changes: dict[str, Any] = {"root": os.path.dirname(os.path.abspath(path))}
    if "select" in data:
        changes["select"] = _rule_list(path, "select", data["select"])
    ignores = _rule_list(path, "ignore", data.get("ignore", []))
    ignores += _rule_list(path, "extend-ignore", data.get("extend-ignore", []))
    if ignores:
        changes["ignore"] = ignores
    if "per-file-ignores" in data:
        table = data["per-file-ignores"]
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: per-file-ignores must be a table of glob = [rules]")
        changes["per_file_ignores"] = tuple(
            (str(glob), _rule_list(path, f"per-file-ignores.{glob}", rules))
            for glob, rules in table.items()
        )
    if "severity" in data:
        changes["severity"] = _severities(path, data["severity"])
    if "platforms" in data:
        changes["platforms"], changes["minimums"] = parse_platforms(data["platforms"],
                                                                    where=path)
    deployment = _deployment(path, data, options.deployment)
    if deployment != options.deployment:
        changes["deployment"] = deployment
    here = changes["root"]
    if "apple-data" in data:
        changes["apple_data"] = _directory(path, "apple-data", data["apple-data"], here)
    if "schemas" in data:
        dirs = data["schemas"]
        if not isinstance(dirs, list):
            raise ConfigError(f"{path}: schemas must be a list of directories")
        changes["schema_dirs"] = tuple(_directory(path, "schemas", d, here) for d in dirs)
    if "manifests" in data:
        changes["manifests"] = _directory(path, "manifests", data["manifests"], here)
    if "expiry-warning-days" in data:
        days = data["expiry-warning-days"]
        if not isinstance(days, int) or isinstance(days, bool) or days < 0:
            raise ConfigError(f"{path}: expiry-warning-days must be a whole number of days")
        changes["expiry_warning_days"] = days
    return options.with_changes(**changes)


def _rule_list(path: str, key: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{path}: {key} must be a list of rule IDs or prefixes")
    return tuple(v.strip().upper() for v in value if v.strip())


def _severities(path: str, table: Any) -> dict[str, Severity]:
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: severity must be a table of RULE = \"error|warning|info\"")
    result = {}
    for rule_id, level in table.items():
        try:
            result[str(rule_id).upper()] = Severity(str(level).lower())
        except ValueError:
            raise ConfigError(
                f"{path}: severity.{rule_id}: {level!r} is not error, warning or info"
            ) from None
    return result


def parse_platforms(values: Iterable[str] | Any, *,
                    where: str) -> tuple[frozenset[str], dict[str, Version]]:
    """``NAME[:MIN_VERSION]`` values (``macos:14.0``, ``iOS:17``; names in any letter case)
    from the command line or a config file: the platforms, and the oldest version targeted
    on each platform given one. A platform named twice keeps the older minimum (one
    without a version is older than any)."""
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, list | tuple):
        raise ConfigError(f"{where}: platforms must be a list of NAME[:MIN_VERSION]")
    names: set[str] = set()
    minimums: dict[str, Version] = {}
    unversioned: set[str] = set()
    for value in values:
        text = str(value).strip()
        name, colon, minimum = text.partition(":")
        name = name.strip().lower()
        if name not in PLATFORMS:
            raise ConfigError(f"{where}: unknown platform {value!r} (use {', '.join(PLATFORMS)}, "
                              "optionally with :MIN_VERSION)")
        names.add(name)
        if not colon:
            unversioned.add(name)
            continue
        version = parse_version(minimum)
        if version is None:
            raise ConfigError(f"{where}: {value!r}: {minimum.strip()!r} is not an OS version "
                              "(use NAME:MIN_VERSION, e.g. macos:14.0)")
        minimums[name] = min(version, minimums.get(name, version))
    for name in unversioned:
        minimums.pop(name, None)
    return frozenset(names), minimums


def _deployment(path: str, data: Mapping[str, Any], base: Deployment) -> Deployment:
    changes: dict[str, Any] = {}
    for key, field in (("supervised", "supervised"), ("shared-ipad", "shared_ipad")):
        if key in data:
            if not isinstance(data[key], bool):
                raise ConfigError(f"{path}: {key} must be true or false")
            changes[field] = data[key]
    if "enrollment" in data:
        changes["enrollment"] = parse_enrollment(data["enrollment"], where=path)
    return base._replace(**changes)


def parse_enrollment(value: Any, *, where: str) -> str:
    """How the devices get their profiles: one of ENROLLMENTS (any letter case)."""
    text = str(value).strip().lower()
    if text not in ENROLLMENTS:
        raise ConfigError(f"{where}: enrollment {value!r} is not one of "
                          f"{', '.join(ENROLLMENTS)}")
    return text


def _directory(path: str, key: str, value: Any, here: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{path}: {key} must name a directory")
    return os.path.normpath(os.path.join(here, os.path.expanduser(value)))


def split_rules(text: str | None) -> tuple[str, ...]:
    """``--select A,B`` on the command line."""
    if not text:
        return ()
    return tuple(part.strip().upper() for part in text.split(",") if part.strip())
