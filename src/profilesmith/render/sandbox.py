"""Bounds on what a template may compute: the sandbox keeps templates away from Python's
internals, these keep them from taking the machine's memory and time.

Refused up front (before the memory is taken): a string, bytes or list that an operator
(``*``, ``+``, ``%``, ``~``), a method (``center``, ``ljust``, ``zfill``, ``expandtabs``,
``replace``, ``join``, ``format``, ``extend``) or a filter (``center``, ``indent``,
``batch``, ``slice``, ``format``, ``join``, ``replace``...) would make longer than
``limits.MAX_LENGTH``, integers of more than ``limits.MAX_INT_BITS`` bits, and ranges over
the sandbox's own 100,000 items. Checked while the template runs: the rendered text
(``MAX_OUTPUT`` characters) and the wall-clock time (``TIME_BUDGET`` seconds per
render: every call, filter, attribute and operator looks at the clock, a loop every 256
steps, the output every 64 pieces and once for each macro's).
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
    SIZING_FILTERS,
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
    with an empty body calls nothing else the clock could be read in), every ``~``
    through ``environment.checked_concat``, and, when the environment has an
    ``output_piece``, every autoescaped ``{{ value }}`` through it instead of
    ``escape(environment.finalize(value))``."""

    def _fast_output(self, frame: Frame, finalize: CodeGenerator._FinalizeInfo) -> bool:
        return (getattr(self.environment, "output_piece", None) is not None
                and not frame.eval_ctx.volatile and bool(frame.eval_ctx.autoescape)
                and finalize.src == "environment.finalize(")

    def _output_child_pre(self, node: nodes.Expr, frame: Frame,
                          finalize: CodeGenerator._FinalizeInfo) -> None:
        if self._fast_output(frame, finalize):
            self.write("environment.output_piece(")
        else:
            super()._output_child_pre(node, frame, finalize)

    def _output_child_post(self, node: nodes.Expr, frame: Frame,
                           finalize: CodeGenerator._FinalizeInfo) -> None:
        if self._fast_output(frame, finalize):
            self.write(")")
        else:
            super()._output_child_post(node, frame, finalize)

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
    # what an autoescaped {{ value }} writes: text equal to escape(finalize(value)), for
    # an environment whose finalize it knows (render.environment sets both); templates
    # compiled before it is set keep escape(finalize(...))
    output_piece: Callable[[Any], str] | None = None

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        check_time()
        check_binop(operator, left, right)
        return check_result(super().call_binop(context, operator, left, right),
                            f"{operator!r}")

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        check_time()
        owner = getattr(__obj, "__self__", None)  # once: a macro or payload_uuid has none
        if args and isinstance(owner, str | bytes) \
                and getattr(__obj, "__name__", "") == "join":
            items = list(args[0])  # a generator is measured once, then joined
            refuse_size(f"{type(owner).__name__}.join()", estimate_join(owner, items), owner)
            args = (items, *args[1:])
        check_method(__obj, args, kwargs)
        result = SandboxedEnvironment.call(__self, __context, __obj, *args, **kwargs)
        if isinstance(owner, list):  # append, extend, insert: the list grew in place
            check_result(owner, f"list.{getattr(__obj, '__name__', 'call')}()")
        return check_result(result, f"{getattr(__obj, '__name__', 'the call')}()")

    def getattr(self, obj: Any, attribute: str) -> Any:
        check_time()
        attributes = _MAPPING_ATTRIBUTES.get(type(obj))
        if attributes is not None and attribute not in attributes:
            # getattr(obj, attribute) would raise AttributeError, and Jinja then looks the
            # item up: done directly (a raised AttributeError cost a microsecond on every
            # ``scep.url`` of a template)
            try:
                return obj[attribute]
            except KeyError:  # what Jinja returns then (``s.retries is defined``)
                return self.undefined(obj=obj, name=attribute)
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
        piece by piece as the template writes it (the clock read every 64 pieces),
        refused once it passes the output limit; a macro's or block's list of pieces,
        already written, is measured whole after one clock read."""
        limit = self.max_output
        if type(pieces) is list:
            # a macro's or block's pieces: already in memory, each written under the
            # clock; measured in one pass (no longer than the join) after one clock read
            check_time()
            if sum(map(len, pieces)) > limit:
                raise RenderRefused(f"the rendered text passes {limit:,} "
                                    "characters (the largest file profilesmith reads)")
            return "".join(pieces)
        total = 0
        kept: list[str] = []
        keep = kept.append
        for index, piece in enumerate(pieces):
            if not index & 63:  # the template code between pieces reads the clock itself
                check_time()
            total += len(piece)
            if total > limit:
                raise RenderRefused(f"the rendered text passes {limit:,} "
                                    "characters (the largest file profilesmith reads)")
            keep(piece)
        return "".join(kept)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.globals["range"] = bounded_range

    def bounded_filters(self) -> None:
        """Wrap every filter: size pre-checks for those that take a width or a count,
        the clock and a size check of every result."""
        for name, function in list(self.filters.items()):
            self.filters[name] = _bounded_filter(name, function)


# dict types -> every attribute their instances have (their class's: none has a __dict__
# of its own or a __getattr__), for BoundedEnvironment.getattr
_MAPPING_ATTRIBUTES: dict[type, frozenset[str]] = {dict: frozenset(dir(dict))}


def attributes_are_the_class(kind: type[dict[Any, Any]]) -> None:
    """Let BoundedEnvironment.getattr look names other than the class's attributes up as
    items of ``kind`` at once. ``kind``'s instances must have no attributes of their own
    (``__slots__``, no ``__dict__``) and no ``__getattr__``."""
    if hasattr(kind(), "__dict__") or hasattr(kind, "__getattr__") \
            or kind.__getattribute__ is not dict.__getattribute__:
        raise TypeError(f"{kind.__name__} instances may have attributes of their own")
    _MAPPING_ATTRIBUTES[kind] = frozenset(dir(kind))


def _bounded_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    what = f"the {name!r} filter"  # once, not on every call
    if name != "join" and name not in SIZING_FILTERS:
        # check_filter_arguments has nothing to say about these (plist, x500, unhex,
        # default... on every value of a template): decided here once, not per call
        @wraps(function)
        def unsized(*args: Any, **kwargs: Any) -> Any:
            check_time()
            return _run_filter(name, what, function, args, kwargs)

        return unsized

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
        return _run_filter(name, what, function, args, kwargs)

    return bounded


def _run_filter(name: str, what: str, function: Callable[..., Any], args: tuple[Any, ...],
                kwargs: dict[str, Any]) -> Any:
    try:
        result = function(*args, **kwargs)
    except (AssertionError, AttributeError):
        # Jinja's filters assert some preconditions (truncate's length) and take some
        # types for granted (wordwrap calls str methods on its value): either would reach
        # the user as an internal error
        raise FilterArgumentError(f"the {name!r} filter cannot take these "
                                  "arguments") from None
    return check_result(result, what)


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
