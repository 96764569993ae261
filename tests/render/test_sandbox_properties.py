"""Any expression a template can write renders, or is refused in one line, within the
render's time budget (10 s: one 64 MiB value, the most the sandbox lets through, takes a
second or two to escape) and 300 MB: never MemoryError, RecursionError or a hang."""

from __future__ import annotations

import os
import resource

import jinja2
import pytest
from fuzz.strategies import template_expressions
from hypothesis import HealthCheck, given, settings

from profilesmith.render.environment import make_environment
from profilesmith.render.sandbox import RenderRefused

settings.register_profile("sandbox-quick", max_examples=60, deadline=10_000, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("sandbox-long", max_examples=20_000, deadline=10_000,
                          suppress_health_check=[HealthCheck.too_slow])
PROFILE = settings.get_profile("sandbox-long" if os.environ.get("PROFILESMITH_FUZZ") == "long"
                               else "sandbox-quick")
# what Builder.render_text turns into one line naming the template
ANSWERS = (jinja2.TemplateError, TypeError, ValueError, ArithmeticError, LookupError)
VALUES = {"x": "xyz", "big": "b" * 1_000_000, "lst": ["p", "q"] * 1000}


def render(expression: str) -> str | None:
    env = make_environment(jinja2.DictLoader({"t.j2": "{{ " + expression + " }}"}))
    try:
        return env.get_template("t.j2").render(VALUES)
    except ANSWERS:
        return None


@settings(PROFILE)
@given(template_expressions())
def test_every_expression_is_bounded(expression: str) -> None:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    render(expression)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 300 * 1024


@pytest.mark.parametrize("expression", [
    "(big * 64) ~ (big * 64)", "(big).join(lst)", "(lst * 400)|batch(10000000)",
    "(lst * 500)|join(big)",
])
def test_expressions_the_fuzzer_met(expression: str) -> None:
    with pytest.raises(RenderRefused):
        make_environment(jinja2.DictLoader({"t.j2": "{{ " + expression + " }}"})) \
            .get_template("t.j2").render(VALUES)
