"""Lint options from a config file and the caller's arguments (the public API and every
command that lints): one place that says how they combine.

- ``select`` replaces the config's ``select``; ``ignore`` adds to the config's ``ignore``
  (as ruff's ``--select`` and ``--extend-ignore`` do);
- ``platforms`` replaces the config's ``platforms`` (``NAME[:MIN_VERSION]`` as
  :func:`parse_platforms` reads them: ``ios``, ``macOS:14.0``, ...);
- ``supervised``, ``enrollment``, ``shared_ipad`` (what the devices are) replace the
  config's when given (None: as configured);
- ``apple_data`` (a newer copy of Apple's data), ``schemas`` (directories of the user's
  own schemas, added to the config's) and ``manifests`` (a ProfileManifests checkout)
  choose the schemas checked against; they take effect for the whole process (the
  schema layer reads one set of schemas at a time);
- ``strict`` turns strictness on, it never turns a config's off;
- ``now`` is the clock of certificate checks (default: the current time).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from profilesmith.lint.config import (
    ConfigError,
    LintOptions,
    load_config,
    parse_enrollment,
    parse_platforms,
    split_rules,
)


def rule_list(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """``"A,B"`` or ``["A", "B"]`` as upper-case rule IDs or prefixes."""
    if value is None:
        return ()
    if isinstance(value, str):
        return split_rules(value)
    return tuple(part for item in value for part in split_rules(str(item)))


def utc(moment: datetime) -> datetime:
    """A naive datetime is UTC; an aware one is converted to UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def resolve(
    config: str | None,
    *,
    select: str | Iterable[str] | None = None,
    ignore: str | Iterable[str] | None = None,
    platforms: str | Iterable[str] = (),
    strict: bool = False,
    now: datetime | None = None,
    where: str = "platforms",
    supervised: bool | None = None,
    enrollment: str | None = None,
    shared_ipad: bool | None = None,
    apple_data: str | os.PathLike[str] | None = None,
    schemas: str | os.PathLike[str] | Iterable[str | os.PathLike[str]] = (),
    manifests: str | os.PathLike[str] | None = None,
) -> LintOptions:
    """The options of ``config`` (a file; None: the defaults) with the arguments laid
    over them. Raises ConfigError (a usage error; one line per problem) for a bad file, a
    rule code that names no rule (in the file: "FILE: setting: why"; in ``select`` or
    ``ignore``: "select: why") or a platform name it does not know."""
    from profilesmith.lint.catalog import code_problem, option_problems

    options = load_config(config)
    problems = [f"{config}: {problem}" for problem in option_problems(options)]
    changes: dict[str, Any] = {"strict": strict or options.strict}
    selected = rule_list(select)
    if selected:
        changes["select"] = selected
    ignored = rule_list(ignore)
    if ignored:
        changes["ignore"] = options.ignore + ignored
    problems += [f"{setting}: {problem}" for setting, codes in (("select", selected),
                                                                  ("ignore", ignored))
                 for code in codes if (problem := code_problem(code)) is not None]
    if problems:
        raise ConfigError("\n".join(problems))
    names = [platforms] if isinstance(platforms, str) else list(platforms)
    if names:
        changes["platforms"], changes["minimums"] = parse_platforms(names, where=where)
    deployment = options.deployment
    if supervised is not None:
        deployment = deployment._replace(supervised=supervised)
    if enrollment is not None:
        deployment = deployment._replace(
            enrollment=parse_enrollment(enrollment, where="enrollment"))
    if shared_ipad is not None:
        deployment = deployment._replace(shared_ipad=shared_ipad)
    changes["deployment"] = deployment
    if apple_data is not None:
        changes["apple_data"] = os.fspath(apple_data)
    added = [schemas] if isinstance(schemas, str | os.PathLike) else list(schemas)
    if added:
        changes["schema_dirs"] = (*options.schema_dirs, *(os.fspath(d) for d in added))
    if manifests is not None:
        changes["manifests"] = os.fspath(manifests)
    if now is not None:
        changes["now"] = utc(now)
    result = options.with_changes(**changes)
    _activate(result)
    return result


def _activate(options: LintOptions) -> None:
    """Make the schemas the options name the ones checked against (the bundled ones when
    they name none); before any file is read, so that a bad directory is a usage error."""
    if not (options.apple_data or options.schema_dirs or options.manifests):
        from profilesmith.schema import bundle

        if not bundle.active():
            return  # the bundled schemas, as always: import nothing of sources
    from profilesmith.schema.sources import SourceError, activate

    try:
        activate(options.apple_data, options.schema_dirs, options.manifests)
    except SourceError as exc:
        raise ConfigError(str(exc)) from None
