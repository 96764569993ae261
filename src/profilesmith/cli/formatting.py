"""``profilesmith format``: the pre-commit fixer (plist.formatter does the work)."""

from __future__ import annotations

import contextlib
import difflib
import os

import click

from profilesmith.cli.common import fail, note, read_input, write_stdout, wrote


@click.command("format")
@click.argument("paths", nargs=-1, required=True)
@click.option("--check", is_flag=True, help="Only report the files that would change.")
@click.option("--diff", "show_diff", is_flag=True,
              help="Print what would change as a unified diff; write nothing.")
@click.option("--sort-keys", is_flag=True,
              help="Sort dictionary keys (plistlib's order, what `build` writes); by "
                   "default they keep their order.")
def format_command(paths: tuple[str, ...], check: bool, show_diff: bool,
                   sort_keys: bool) -> int:
    """Rewrite profiles in the canonical layout, in place (the pre-commit fixer).

    Canonical: plistlib's layout (tabs, one element a line), binary turned into XML;
    comments and the order of keys are kept (--sort-keys sorts them). A symlink's target
    is rewritten. `format -` reads standard input and writes the result to standard
    output. Signed files are left alone; a file that cannot be read (malformed XML, a
    damaged signature) is an error. Exit 1 when a file changed (or would, with --check or
    --diff), 2 when one could not be read or rewritten, else 0.
    """
    from profilesmith.lint.discover import PathError, expand, is_maybe

    if check and show_diff:
        fail("give --check or --diff, not both")
    if "-" in paths:
        if len(paths) > 1:
            fail("- (standard input) cannot be combined with files")
        return _stdin(check=check, show_diff=show_diff, sort_keys=sort_keys)
    try:
        targets = list(expand(paths))
    except PathError as exc:
        fail(str(exc))
    changed = trouble = 0
    for target in targets:
        # a .plist met in a directory walk is only ours if it is a profile
        outcome = _one(target.path, only_profiles=is_maybe(target), check=check,
                       show_diff=show_diff, sort_keys=sort_keys)
        changed += outcome == "changed"
        trouble += outcome == "trouble"
    return 2 if trouble else 1 if changed else 0


def _read(path: str) -> tuple[bytes, int | None] | None:
    from profilesmith.base import files

    try:
        return files.read_limited(path), None
    except files.TooLarge as exc:
        return b"", exc.size  # refused by format_bytes, naming its length
    except OSError as exc:
        note(f"{path}: cannot read ({exc.strerror or exc})")
        return None


def _one(path: str, *, only_profiles: bool, check: bool, show_diff: bool,
         sort_keys: bool) -> str:
    """'changed', 'trouble' or '' (nothing to do)."""
    from profilesmith.base import files
    from profilesmith.plist.formatter import format_bytes

    read = _read(path)
    if read is None:
        return "trouble"
    data, size = read
    outcome = format_bytes(data, path, only_profiles=only_profiles, size=size,
                           sort_keys=sort_keys)
    if outcome.status in ("unchanged", "skipped"):
        return ""
    if outcome.status == "signed":
        note(outcome.message)
        return ""
    if outcome.status == "refused":
        note(outcome.message)
        return "trouble"
    if check:
        click.echo(f"{path}: would be reformatted")
        return "changed"
    if show_diff:
        click.echo(unified(data, outcome.data, path), nl=False)
        return "changed"
    # through a symlink to the file it names: replacing the link by a regular file
    # would leave its target as it was
    real = os.path.realpath(path)
    try:
        files.write_atomic(real, outcome.data, force=True)
    except OSError as exc:
        note(f"{path}: cannot write ({exc.strerror or exc})")
        return "trouble"
    details = ["reformatted"]
    shown = path
    if real != os.path.abspath(path):
        details.append(f"through the symlink {path}")
        relative = os.path.relpath(real)
        shown = real if relative.startswith(os.pardir) else relative
    if outcome.dropped:
        details.append(f"dropped {outcome.dropped} comment(s) inside values")
    wrote(shown, "; ".join(details))
    return "changed"


def _stdin(*, check: bool, show_diff: bool, sort_keys: bool) -> int:
    from profilesmith.plist.formatter import format_bytes

    data = read_input("-")
    outcome = format_bytes(data, "-", sort_keys=sort_keys)
    if outcome.status == "refused":
        fail(outcome.message)
    if outcome.status == "signed":
        note(outcome.message)
    changed = outcome.status == "changed"
    if check:
        if changed:
            click.echo("-: would be reformatted")
        return int(changed)
    if show_diff:
        if changed:
            click.echo(unified(data, outcome.data, "-"), nl=False)
        return int(changed)
    if outcome.dropped:
        note(f"-: dropped {outcome.dropped} comment(s) inside values")
    write_stdout(outcome.data if changed else data)
    return 0


def unified(before: bytes, after: bytes, path: str) -> str:
    """A unified diff of the file as it is and as it would be written."""
    old: list[str] = []
    label = f"{path} (binary)"
    if not before.startswith(b"bplist"):
        with contextlib.suppress(UnicodeDecodeError):
            old, label = before.decode("utf-8").splitlines(keepends=True), path
    new = after.decode("utf-8").splitlines(keepends=True)
    lines = difflib.unified_diff(old, new, fromfile=label, tofile=path)
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
                   for line in lines)
