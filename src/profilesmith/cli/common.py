"""Small helpers shared by the click commands.

Commands return their exit code (an int; None is 0) and raise :class:`Failure` for usage
errors and unreadable input: :class:`profilesmith.cli.LazyGroup` turns both into the
process's exit status, so no command calls ``sys.exit`` itself.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, NoReturn, TextIO, TypeVar

import click

if TYPE_CHECKING:
    from datetime import datetime

    from profilesmith.api_types import ProfilesmithError
    from profilesmith.lint.config import LintOptions
    from profilesmith.plist.document import Document

F = TypeVar("F", bound=Callable[..., object])


class Failure(Exception):
    """Problems to print, one ``profilesmith: ...`` line each, and the exit code (2: a
    usage error or unreadable input; 1: findings or a failed check)."""

    def __init__(self, lines: Sequence[str], code: int = 2) -> None:
        super().__init__("\n".join(lines))
        self.lines = list(lines)
        self.code = code

    def show(self) -> None:
        for line in self.lines:
            click.echo(f"profilesmith: {line}", err=True)


class Interrupted(BaseException):
    """SIGINT (exit 130) or SIGTERM (exit 143) stopped the command. A BaseException, as
    KeyboardInterrupt is, so that no ``except Exception`` swallows it and every
    ``finally`` (temporary files removed) runs; click does not turn it into "Aborted!"."""

    def __init__(self, signal_name: str, code: int) -> None:
        super().__init__(signal_name)
        self.signal_name = signal_name
        self.code = code

    @property
    def line(self) -> str:
        return f"interrupted by {self.signal_name}; no file was left half-written"


def raise_terminated(signum: int, frame: object) -> NoReturn:
    """The SIGTERM handler: stop like Ctrl-C does, with SIGTERM's exit code."""
    raise Interrupted("SIGTERM", 143)


def fail(message: str, code: int = 2) -> NoReturn:
    """One line on stderr, then exit (2: usage error, unreadable input)."""
    raise Failure([message], code)


def fail_lines(lines: Sequence[str], *, code: int = 2, limit: int | None = None) -> NoReturn:
    """Several problems, one line each (at most ``limit`` of them), then exit."""
    shown = list(lines if limit is None or len(lines) <= limit else lines[:limit])
    if len(lines) > len(shown):
        shown.append(f"... and {len(lines) - len(shown)} more")
    raise Failure(shown, code)


def is_terminal(stream: Any) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def pick_format(fmt: str) -> str:
    if fmt != "auto":
        return fmt
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def use_color(stream: TextIO, fmt: str) -> bool:
    if fmt != "text" or os.environ.get("NO_COLOR"):
        return False
    return is_terminal(stream)


@contextmanager
def open_output(path: str) -> Iterator[TextIO]:
    """A report file, written whole or not at all."""
    from profilesmith.base.files import atomic_text

    with atomic_text(path) as stream:
        yield stream


def note(message: str) -> None:
    """An informational line on stderr (stdout may carry a profile or a report)."""
    click.echo(f"profilesmith: {message}", err=True)


def read_input(path: str) -> bytes:
    """A file's bytes (``-``: standard input), or one line on stderr and exit 2."""
    from profilesmith.base import files

    if path != "-" and os.path.isdir(path):
        fail(f"{path}: is a directory")
    try:
        if path == "-":
            return files.read_stream(sys.stdin.buffer)
        return files.read_limited(path)
    except files.TooLarge as exc:
        fail(f"{path}: larger than {exc.limit} bytes")
    except OSError as exc:
        fail(f"{path}: cannot read ({exc.strerror or exc})")


def read_stdin_if(wanted: bool) -> bytes | None:
    """Standard input, bounded, when one of the inputs is ``-``."""
    return read_input("-") if wanted else None


def rule_codes(text: str | None, option: str) -> tuple[str, ...]:
    """``--select A,B`` / ``--ignore A,B``: the codes, each naming a rule (else exit 2)."""
    from profilesmith.lint.catalog import code_problem
    from profilesmith.lint.config import split_rules

    codes = split_rules(text)
    problems = [f"{option}: {problem}" for code in codes
                if (problem := code_problem(code)) is not None]
    if problems:
        fail_lines(problems)
    return codes


def config_file(config_path: str | None) -> str | None:
    """``--config FILE``, else the nearest config file upwards (None: the defaults)."""
    from profilesmith.lint.config import find_config

    return config_path if config_path else find_config()


# -- the options of every command that lints ---------------------------------------------


def check_options(*, clock: bool = True, platform: bool = True,
                  targets: bool = False) -> Callable[[F], F]:
    """--config, --select, --ignore, --strict, (``platform``) --platform, (``clock``)
    --now and (``targets``: lint and command, which check what they are given against a
    deployment) the deployment (--supervised, --enrollment, --shared-ipad) and the data
    checked against (--apple-data, --schemas, --manifests): one spelling and one meaning
    in every command that lints.

    The command receives ``config_path, select, ignore, strict`` and, when asked for,
    ``platforms`` (``NAME[:MIN_VERSION]`` as given), ``now`` (a UTC datetime or None) and
    the deployment and data options (take them as ``**targets``);
    :func:`checked_options` turns them into LintOptions.
    """
    from profilesmith.cli.targets import data_options, deployment_options, platform_option

    options = [
        click.option("--config", "config_path", type=click.Path(dir_okay=False),
                     help="Config file (default: the nearest .profilesmith.toml or "
                          "pyproject.toml with [tool.profilesmith])."),
        click.option("--select", help="Only these rules or prefixes (comma-separated)."),
        click.option("--ignore", help="Also skip these rules or prefixes (comma-separated)."),
        click.option("--strict", is_flag=True, help="Warnings fail too (exit 1)."),
    ]
    if platform:
        options.append(platform_option("turns on the availability (AVL) and platform rules"))
    if targets:
        options += [deployment_options, data_options]
    if clock:
        options.append(now_option())

    def decorate(func: F) -> F:
        for option in reversed(options):
            func = option(func)
        return func

    return decorate


def now_option(what: str = "certificates are checked against") -> Callable[[F], F]:
    """``--now``, parsed: the command receives a UTC datetime or None."""
    option: Callable[[F], F] = click.option(
        "--now", callback=_now, metavar="DATE",
        help=f"The moment {what} (ISO 8601; default: now).")
    return option


def _now(ctx: click.Context, param: click.Parameter, value: str | None) -> datetime | None:
    return None if value is None else parse_now(value)


def checked_options(config_path: str | None, *, select: str | None = None,
                    ignore: str | None = None, strict: bool = False,
                    platforms: Sequence[str] = (), now: datetime | None = None,
                    **targets: Any) -> LintOptions:
    """The LintOptions of check_options' values (a broken config file, a rule code that
    names no rule, a bad platform or data directory: exit 2)."""
    from profilesmith.lint.config import ConfigError
    from profilesmith.lint.options import resolve

    try:
        options = resolve(config_file(config_path), select=rule_codes(select, "--select"),
                          ignore=rule_codes(ignore, "--ignore"), platforms=platforms,
                          where="--platform", strict=strict, now=now, **api_targets(targets))
    except ConfigError as exc:
        fail_lines(str(exc).splitlines())
    if options.deployment.stated and not options.platforms:
        note("the deployment (--supervised, --enrollment, --shared-ipad) is checked only on "
             "the platforms targeted: add --platform")
    return options


def platform_specs(values: Sequence[str]) -> Sequence[str]:
    """``--platform`` values checked (an unknown name or version exits 2, naming the
    option), as given: NAME[:MIN_VERSION]."""
    from profilesmith.lint.config import ConfigError, parse_platforms

    try:
        parse_platforms(list(values), where="--platform")
    except ConfigError as exc:
        fail(str(exc))
    return values


def api_targets(values: dict[str, Any]) -> dict[str, Any]:
    """check_options' deployment and data values as the keyword arguments of the public
    API and lint.options.resolve (``schema_dirs`` is ``schemas`` there)."""
    targets = {key: values.get(key) for key in ("supervised", "enrollment", "shared_ipad",
                                                "apple_data", "manifests")}
    targets["schemas"] = tuple(values.get("schema_dirs") or ())
    return targets


def parse_now(text: str) -> datetime:
    """``--now``: an ISO 8601 date or moment (UTC unless it says otherwise)."""
    from datetime import UTC, datetime

    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(f"{text!r} is not an ISO 8601 date",
                                 param_hint="'--now'") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def api_failure(exc: ProfilesmithError) -> NoReturn:
    """A ProfilesmithError from the API as the CLI's lines and exit code."""
    raise Failure(exc.lines, exc.exit_code)


@contextmanager
def certificate_warnings() -> Iterator[None]:
    """Print the API's CertificateWarnings as ``profilesmith: warning: ...`` lines."""
    import warnings

    from profilesmith.api_types import CertificateWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", CertificateWarning)
        try:
            yield
        finally:
            for item in caught:
                if issubclass(item.category, CertificateWarning):
                    note(f"warning: {item.message}")
                else:
                    warnings.warn_explicit(item.message, item.category, item.filename,
                                           item.lineno)


def read_document(path: str) -> Document:
    """read_input, decoded by the reader (which never raises)."""
    from profilesmith.plist.reader import read_bytes

    return read_bytes(read_input(path), path)


def write_output(path: str, data: bytes, *, force: bool) -> None:
    """Write a file atomically, or one line on stderr and exit 2 (it exists and no
    ``--force``, or it cannot be written)."""
    from profilesmith.base.files import OutputExists, write_atomic

    try:
        write_atomic(path, data, force=force)
    except OutputExists as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"{path}: cannot write ({exc.strerror or exc})")


def write_stdout(data: bytes) -> None:
    """Bytes (a profile) on standard output, after any text already written there."""
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def wrote(path: str, detail: str = "") -> None:
    """The confirmation every command that writes a file gives, in the same words."""
    note(f"wrote {path}" + (f" ({detail})" if detail else ""))


def write_result(path: str, data: bytes, *, force: bool, detail: str = "") -> None:
    """An output file (``-``: standard output) written atomically, and confirmed."""
    if path == "-":
        write_stdout(data)
        return
    write_output(path, data, force=force)
    wrote(path, detail)


def refuse_existing(path: str, *, force: bool) -> None:
    """Stop before any work (a password prompt, a signature) when the output exists."""
    if path != "-" and not force and os.path.lexists(path):
        fail(f"{path}: exists (use --force to replace it)")


def jobs_option(what: str) -> Callable[[F], F]:
    """``--jobs N`` for a batch command; 0 (the default) picks the number of workers."""
    option: Callable[[F], F] = click.option(
        "--jobs", "-j", default=0, type=click.IntRange(0),
        help=f"Worker processes for {what} (default 0: one per CPU once there are enough "
             "files to repay starting them; 1: no workers).")
    return option
