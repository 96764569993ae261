"""The sandbox's short ways (output pieces, mapping attributes, filters without argument
checks, a macro's output measured whole) give what the long ways gave, and keep the
bounds."""

from __future__ import annotations

from typing import Any

import pytest
from jinja2 import DictLoader, UndefinedError
from markupsafe import Markup, escape

from profilesmith.render import limits, sandbox
from profilesmith.render.environment import ValueDict, finalize, make_environment, named
from profilesmith.render.sandbox import RenderRefused, attributes_are_the_class


def render(source: str, **values: Any) -> str:
    env = make_environment(DictLoader({"t.j2": source}))
    return env.get_template("t.j2").render(named(values))


class Shouting(Markup):
    def __html__(self) -> Markup:
        return Markup(str.upper(self))


@pytest.mark.parametrize("value", [
    "a&b<c>d\"e'f\rg", "", Markup("<string>x&amp;</string>"), Shouting("<b>quiet</b>"),
    7, 2.5, True, None, ["a<", 1], {"k": "&"},
])
def test_an_output_piece_is_escape_of_finalize(value: Any) -> None:
    assert render("{{ v }}", v=value) == str(escape(finalize(value)))


def test_plist_elements_and_macros_are_written_as_they_are() -> None:
    source = ("{% macro m(x) %}<key>K</key>\n{{ x | plist }}{% endmacro %}"
              "{{ m(v) }}|{{ v | plist }}|{{ [v, 1] | plist }}")
    assert render(source, v="a&<\r") == (
        "<key>K</key>\n<string>a&amp;&lt;&#13;</string>|<string>a&amp;&lt;&#13;</string>|"
        "<array>\n\t<string>a&amp;&lt;&#13;</string>\n\t<integer>1</integer>\n</array>")


def test_mapping_attributes_keep_jinjas_order() -> None:
    # an attribute of dict wins over the item of the same name, as in Jinja
    assert render("{{ m.keys() | list | join(',') }}/{{ m.url }}", m={"keys": 1, "url": "u"}) \
        == "keys,url/u"
    assert render("{{ m.items is defined }} {{ m._ps_path is defined }} "
                  "{{ m.nope is defined }}", m={"url": "u"}) == "True False False"
    with pytest.raises(UndefinedError, match=r"value 'm\.nope' is not set"):
        render("{{ m.nope }}", m={"url": "u"})
    with pytest.raises(UndefinedError, match="value 'nope' is not set"):
        render("{{ nope }}")


def test_only_mappings_without_attributes_of_their_own_take_the_short_way() -> None:
    class Loose(dict[str, Any]):
        pass

    class Computed(dict[str, Any]):
        __slots__ = ()

        def __getattr__(self, name: str) -> Any:
            return name

    for kind in (Loose, Computed):
        with pytest.raises(TypeError, match="may have attributes of their own"):
            attributes_are_the_class(kind)
    assert not hasattr(ValueDict(), "__dict__")


def test_a_macros_output_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sandbox.BoundedEnvironment, "max_output", 1000)
    source = "{% macro m() %}{% for i in range(200) %}xxxxxx{% endfor %}{% endmacro %}" \
             "{% set x = m() %}"
    with pytest.raises(RenderRefused, match="the rendered text passes 1,000 characters"):
        render(source)
    assert render(source.replace("200", "150")) == ""


def test_a_filter_without_argument_checks_still_has_its_result_checked(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_LENGTH", 1000)
    # '&' is written as '&amp;': the element is five times the value
    with pytest.raises(RenderRefused, match=r"the 'plist' filter would make 2,517 "
                                            r"characters \(at most 1,000\)"):
        render("{{ v | plist }}", v="&" * 500)

