"""Bounds on what a template may compute: the sandbox keeps templates away from Python's
internals, these keep them from taking the machine's memory and time.

Refused up front (before the memory is taken): a string, bytes or list that an operator
(``*``, ``+``, ``%``, ``~``), a method (``center``, ``ljust``, ``zfill``, ``expandtabs``,
``replace``, ``join``, ``format``, ``extend``) or a filter (``center``, ``indent``,
``batch``, ``slice``, ``format``, ``join``, ``replace``...) would make longer than
``limits.MAX_LENGTH``, integers of more than ``limits.MAX_INT_BITS`` bits, and ranges over
the sandbox's own 100,000 items. Checked while the template runs: the rendered text
(``MAX_OUTPUT`` characters) and the wall-clock time (``TIME_BUDGET`` seconds per
render; every loop step, call, operator and piece of output looks at the clock).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import wraps
from typing import Any

from jinja2 import Template, nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import FilterArgumentError
from jinja2.sandbox import SandboxedEnvironment

from profilesmith.render.limits import (
    MAX_OUTPUT,
    TIME_BUDGET,
    RenderClock,
    RenderRefused,
    bounded_range,
    check_binop,
    check_filter_arguments,
    check_method,
    check_result,
    check_time,
    estimate_join,
    refuse_size,
)

__all__ = ["BoundedEnvironment", "BoundedTemplate", "RenderRefused"]


class _BoundedCodeGenerator(CodeGenerator):
    """Compiles every ``{% for %}`` over ``environment.bounded_iter(...)`` (a loop
    with an empty body calls nothing else the clock could be read in) and every ``~``
    through ``environment.checked_concat``."""

    def visit_For(self, node: nodes.For, frame: Frame) -> None:
        if not node.recursive:
            node.iter = nodes.Call(nodes.EnvironmentAttribute("bounded_iter"), [node.iter],
                                   [], None, None, lineno=node.lineno)
        super().visit_For(node, frame)

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.checked_concat(")
        super().visit_Concat(node, frame)
        self.write(")")


class BoundedEnvironment(SandboxedEnvironment):
    """The sandbox with the bounds of this module (see the module's docstring)."""

    code_generator_class = _BoundedCodeGenerator
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    time_budget: float = TIME_BUDGET
    max_output: int = MAX_OUTPUT

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        check_time()
        check_binop(operator, left, right)
        return check_result(super().call_binop(context, operator, left, right),
                            f"{operator!r}")

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        check_time()
        if getattr(__obj, "__name__", "") == "join" and args \
                and isinstance(getattr(__obj, "__self__", None), str | bytes):
            items = list(args[0])  # a generator is measured once, then joined
            refuse_size(f"{type(__obj.__self__).__name__}.join()",
                         estimate_join(__obj.__self__, items), __obj.__self__)
            args = (items, *args[1:])
        check_method(__obj, args, kwargs)
        result = SandboxedEnvironment.call(__self, __context, __obj, *args, **kwargs)
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, list):  # append, extend, insert: the list grew in place
            check_result(owner, f"list.{getattr(__obj, '__name__', 'call')}()")
        return check_result(result, f"{getattr(__obj, '__name__', 'the call')}()")

    def getattr(self, obj: Any, attribute: str) -> Any:
        check_time()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        check_time()
        return super().getitem(obj, argument)

    def bounded_iter(self, iterable: Any) -> Iterator[Any]:
        """A for-loop's items, with the clock read every 256 of them."""
        for index, item in enumerate(iterable):
            if not index & 255:
                check_time()
            yield item

    def checked_concat(self, value: Any) -> Any:
        check_time()
        return check_result(value, "'~'")

    def concat(self, pieces: Iterable[str]) -> str:
        """The rendered text (and every macro's and ``{% set %}`` block's): counted
        piece by piece, refused once it passes the output limit."""
        total = 0
        kept: list[str] = []
        for index, piece in enumerate(pieces):
            if not index & 63:  # the template code between pieces reads the clock itself
                check_time()
            total += len(piece)
            if total > self.max_output:
                raise RenderRefused(f"the rendered text passes {self.max_output:,} "
                                    "characters (the largest file profilesmith reads)")
            kept.append(piece)
        return "".join(kept)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.globals["range"] = bounded_range

    def bounded_filters(self) -> None:
        """Wrap every filter: size pre-checks for those that take a width or a count,
        the clock and a size check of every result."""
        for name, function in list(self.filters.items()):
            self.filters[name] = _bounded_filter(name, function)


def _bounded_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    what = f"the {name!r} filter"  # once, not on every call

    @wraps(function)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        check_time()
        check_filter_arguments(name, function, args, kwargs)
        if name == "join":
            passed = getattr(function, "jinja_pass_arg", None)
            at = 1 if passed is not None else 0
            if len(args) > at and not isinstance(args[at], str | bytes):
                items = list(args[at])
                separator = args[at + 1] if len(args) > at + 1 else kwargs.get("d", "")
                refuse_size("the 'join' filter", estimate_join(separator, items), "")
                args = (*args[:at], items, *args[at + 1:])
        try:
            result = function(*args, **kwargs)
        except (AssertionError, AttributeError):
            # Jinja's filters assert some preconditions (truncate's length) and take
            # some types for granted (wordwrap calls str methods on its value): either
            # would reach the user as an internal error
            raise FilterArgumentError(f"the {name!r} filter cannot take these "
                                      "arguments") from None
        return check_result(result, what)

    return bounded


class BoundedTemplate(Template):
    """A template whose render runs under the clock; nesting too deep (a macro calling
    itself) is refused in the same words as the other bounds."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        environment = self.environment
        budget = environment.time_budget if isinstance(environment, BoundedEnvironment) \
            else TIME_BUDGET
        with RenderClock(budget):
            try:
                return super().render(*args, **kwargs)
            except RecursionError as exc:
                refused = RenderRefused("macros or loops nest too deep (a macro calling "
                                        "itself without end?)")
                refused.lineno = _template_line(exc)  # type: ignore[attr-defined]
                raise refused from None


def _template_line(exc: BaseException) -> int | None:
    """The template line of the innermost template frame (Jinja rewrote the traceback to
    name the template's lines)."""
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if not tb.tb_frame.f_code.co_filename.endswith(".py"):
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


BoundedEnvironment.template_class = BoundedTemplate
