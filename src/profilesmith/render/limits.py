"""The bounds of render.sandbox: the limits, the size estimates that refuse an operation
before it takes the memory, and the clock of one render (see render.sandbox).
"""

from __future__ import annotations

import re
import string
import threading
import time
from collections.abc import Callable
from typing import Any

from jinja2.exceptions import SecurityError

from profilesmith.base.files import MAX_BYTES

# nothing longer could be read back: the reader refuses files over MAX_BYTES
MAX_OUTPUT = MAX_BYTES
MAX_LENGTH = MAX_BYTES  # characters of one string (bytes of one bytes value)
MAX_ITEMS = 1_000_000  # items of one list
MAX_INT_BITS = 8192  # well inside Python's 4300-digit limit for printing an integer
TIME_BUDGET = 10.0  # seconds per render: a real profile takes milliseconds

_SIZED = (str, bytes, list, tuple)


class RenderRefused(SecurityError):
    """A template went past one of the bounds; ``lineno`` when known (for the message)."""


class _Clock(threading.local):
    """This thread's render deadline (renders nest: includes); the class's None until a
    render sets it, so that reading it needs no getattr default."""

    deadline: float | None = None
    budget: float = TIME_BUDGET


_clock = _Clock()
_monotonic = time.monotonic  # looked up once: check_time runs dozens of times a render


def check_time() -> None:
    deadline = _clock.deadline
    if deadline is not None and _monotonic() > deadline:
        raise RenderRefused(f"rendering took longer than {_seconds(_clock.budget)} "
                            "(a loop or a computation too large)")


def _seconds(budget: float) -> str:
    return f"{budget:g} seconds" if budget != 1 else "1 second"


def _limit_of(value: Any) -> tuple[int, str]:
    if isinstance(value, list | tuple):
        return MAX_ITEMS, "items"
    return MAX_LENGTH, "bytes" if isinstance(value, bytes) else "characters"


def refuse_size(what: str, size: int, sample: Any) -> None:
    limit, unit = _limit_of(sample)
    if size > limit:
        raise RenderRefused(f"{what} would make {size:,} {unit} (at most {limit:,})")


def check_result(value: Any, what: str) -> Any:
    """``value`` when within the bounds (after the fact: for growth one step at a time)."""
    if isinstance(value, str):  # most results: one comparison (what refuse_size does)
        if len(value) > MAX_LENGTH:
            refuse_size(what, len(value), value)
    elif isinstance(value, _SIZED):
        refuse_size(what, len(value), value)
    elif isinstance(value, int) and not isinstance(value, bool) \
            and value.bit_length() > MAX_INT_BITS:
        raise RenderRefused(f"{what} makes an integer of more than {MAX_INT_BITS} bits")
    return value


def _length(value: Any) -> int | None:
    return len(value) if isinstance(value, _SIZED) else None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def check_binop(operator: str, left: Any, right: Any) -> None:
    """Refuse before computing: the result's size follows from the operands'."""
    what = f"{operator!r}"
    if operator == "*":
        for seq, count in ((left, right), (right, left)):
            size, times = _length(seq), _int(count)
            if size is not None and times is not None:
                refuse_size(f"{what} repeating {type(seq).__name__} {times:,} times",
                             size * max(times, 0), seq)
        if _int(left) is not None and _int(right) is not None \
                and left.bit_length() + right.bit_length() > MAX_INT_BITS:
            raise RenderRefused(f"{what} makes an integer of more than {MAX_INT_BITS} bits")
    elif operator == "**":
        base, exponent = _int(left), _int(right)
        if base is not None and exponent is not None and abs(base) > 1 \
                and base.bit_length() * exponent > MAX_INT_BITS:
            raise RenderRefused(f"'**' makes an integer of more than {MAX_INT_BITS} bits "
                                f"({base} ** {exponent})")
    elif operator == "+":
        if _length(left) is not None and _length(right) is not None:
            refuse_size(what, len(left) + len(right), left)
    elif operator == "%" and isinstance(left, str | bytes):
        refuse_size("'%' formatting", len(left) + _printf_widths(left), left)


# printf-style conversion specs: flags, width, precision
_PRINTF = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")


def _printf_widths(text: str | bytes) -> int:
    """The characters '%' formatting may pad to; a ``*`` (a width taken from the
    arguments) is refused."""
    source = text.decode("latin-1") if isinstance(text, bytes) else text
    total = 0
    for width, precision in _PRINTF.findall(source):
        for number in (width, precision):
            if number == "*":
                raise RenderRefused("'%' formatting with a '*' width or precision")
            total += int(number or 0)
    return total


def _format_widths(text: str) -> int:
    """The same for ``str.format``: every field's width and precision, summed."""
    total = 0
    try:
        for _literal, field, spec, _conversion in string.Formatter().parse(text):
            if field is not None and spec:
                total += sum(int(n) for n in re.findall(r"\d+", spec))
                total += MAX_LENGTH + 1 if "{" in spec else 0
    except ValueError:
        return 0  # a malformed format string: str.format refuses it with its own error
    return total


def estimate_join(separator: Any, items: list[Any]) -> int:
    return sum(len(i) if isinstance(i, _SIZED) else 24 for i in items) \
        + (len(separator) if isinstance(separator, _SIZED) else 0) * max(len(items) - 1, 0)


def _estimate_replace(text: Any, old: Any, new: Any, count: Any = -1) -> int | None:
    if not isinstance(text, str | bytes) or not isinstance(old, str | bytes) \
            or not isinstance(new, str | bytes) or type(old) is not type(text):
        return None
    found = len(text) + 1 if not old else text.count(old)  # type: ignore[arg-type]
    if _int(count) is not None and count >= 0:
        found = min(found, count)
    return len(text) + found * max(len(new) - len(old), 0)


def _width(value: Any) -> int:
    number = _int(value)
    return number if number is not None else len(value) if isinstance(value, str) else 0


def check_method(obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """A bound method of a string, bytes or list that can grow its owner a lot."""
    owner = getattr(obj, "__self__", None)
    name = getattr(obj, "__name__", "")
    wrapped = getattr(obj, "__wrapped__", None)  # the sandbox's wrapper of str.format
    if wrapped is not None and isinstance(getattr(wrapped, "__self__", None), str):
        text = wrapped.__self__
        refuse_size(f"{text[:20]!r}.format()", len(text) + _format_widths(text), text)
        return
    if not isinstance(owner, str | bytes | list):
        return
    what = f"{type(owner).__name__}.{name}()"
    if name in ("center", "ljust", "rjust", "zfill") and args:
        refuse_size(what, _width(args[0]), owner)
    elif name == "expandtabs":
        tab = _int(args[0] if args else kwargs.get("tabsize", 8)) or 0
        tabs = 0 if isinstance(owner, list) else \
            owner.count("\t") if isinstance(owner, str) else owner.count(b"\t")
        refuse_size(what, len(owner) + tabs * max(tab, 0), owner)
    elif name == "replace" and len(args) >= 2:
        size = _estimate_replace(owner, *args[:3])
        if size is not None:
            refuse_size(what, size, owner)
    elif name == "extend" and args and _length(args[0]) is not None:
        refuse_size(what, len(owner) + len(args[0]), owner)


MAX_RANGE = 100_000


def bounded_range(*args: int) -> range:
    """``range`` for templates: at most MAX_RANGE numbers (the sandbox's own limit, in
    these words)."""
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise RenderRefused(f"range() of {len(numbers):,} numbers (at most {MAX_RANGE:,})")
    return numbers



# the filters check_filter_arguments sizes up (a template calls the others, plist above
# all, on every value: sandbox wraps them without it)
SIZING_FILTERS = frozenset({"center", "indent", "batch", "slice", "format", "replace",
                            "tojson"})


def check_filter_arguments(name: str, function: Callable[..., Any], args: tuple[Any, ...],
                      kwargs: dict[str, Any]) -> None:
    """Refuse a filter call whose result would be too large, from its arguments."""
    if name not in SIZING_FILTERS:
        return
    # args holds the context or environment first when the filter asks for them
    passed = getattr(function, "jinja_pass_arg", None)
    values = args[1:] if passed is not None else args
    if not values:
        return
    value, rest = values[0], values[1:]
    what = f"the {name!r} filter"
    if name == "center":
        refuse_size(what, _width(rest[0] if rest else kwargs.get("width", 80)), "")
    elif name == "indent":
        width = _width(rest[0] if rest else kwargs.get("width", 4))
        lines = str(value).count("\n") + 1
        refuse_size(what, len(str(value)) + lines * width, "")
    elif name in ("batch", "slice"):
        count = _int(rest[0] if rest else kwargs.get("linecount", kwargs.get("slices")))
        if count is not None:
            refuse_size(what, count, [])
    elif name == "format" and isinstance(value, str):
        refuse_size(what, len(value) + _printf_widths(value), value)
    elif name == "replace" and len(rest) >= 2:
        size = _estimate_replace(str(value), str(rest[0]), str(rest[1]), *rest[2:3])
        if size is not None:
            refuse_size(what, size, "")
    elif name == "tojson":
        indent = _int(rest[0] if rest else kwargs.get("indent"))
        if indent is not None:
            refuse_size(what, indent * 64, "")  # 64 levels deep at most, as the reader



class RenderClock:
    """The deadline of one top-level render, for this thread; a nested render (an
    include) keeps the outer one."""

    def __init__(self, budget: float) -> None:
        self.budget = budget
        self.outer = False

    def __enter__(self) -> RenderClock:
        self.outer = _clock.deadline is None
        if self.outer:
            _clock.budget = self.budget
            _clock.deadline = _monotonic() + self.budget
        return self

    def __exit__(self, *exc: object) -> None:
        if self.outer:
            _clock.deadline = None
