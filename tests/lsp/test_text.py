"""Lines and positions as LSP counts them: line breaks, UTF-8/16/32 columns, clamping."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from profilesmith.lsp.text import UTF8, UTF16, UTF32, LineIndex, column_of_units, units

LINE = "a\u00e9\u20ac\U0001f600b"  # 1, 2, 3 and 4 UTF-8 bytes; the emoji is 2 UTF-16 units


def test_units_of_each_encoding() -> None:
    assert units(LINE, UTF8) == 1 + 2 + 3 + 4 + 1
    assert units(LINE, UTF16) == 1 + 1 + 1 + 2 + 1
    assert units(LINE, UTF32) == 5
    assert units("plain", UTF16) == units("plain", UTF8) == 5


@pytest.mark.parametrize(("encoding", "count", "column"), [
    (UTF8, 0, 0), (UTF8, 1, 1), (UTF8, 2, 1), (UTF8, 3, 2), (UTF8, 6, 3), (UTF8, 9, 3),
    (UTF8, 10, 4), (UTF8, 11, 5), (UTF8, 99, 5),
    (UTF16, 3, 3), (UTF16, 4, 3), (UTF16, 5, 4), (UTF16, 6, 5),
    (UTF32, 4, 4), (UTF32, 7, 5),
])
def test_client_units_to_code_points(encoding: str, count: int, column: int) -> None:
    # inside a character: its start; past the end of the line: the end (LSP says so)
    assert column_of_units(LINE, count, encoding) == column


def test_lines_break_only_at_cr_lf_and_crlf() -> None:
    text = "one\r\ntwo\rthree\nfour\u2028still four\x0cand\x85more\n"
    index = LineIndex(text)
    assert [index.line(n) for n in range(index.line_count)] == [
        "one", "two", "three", "four\u2028still four\x0cand\x85more", ""]
    assert index.line(9) == ""


def test_offsets_and_positions() -> None:
    index = LineIndex("ab\r\ncd\nef")
    assert index.offset(1, 1) == 5
    assert index.offset(1, 9) == 6  # clamped to the line
    assert index.offset(7, 0) == 9  # past the last line: the end
    assert index.position(5) == (1, 1)
    assert index.position(3) == (0, 2)  # between \r and \n: still the end of line 0
    assert index.end() == (2, 2)


def test_client_positions_both_ways() -> None:
    index = LineIndex(f"x\n{LINE}\n")
    assert index.to_client(1, 4, UTF16) == (1, 5)
    assert index.to_client(1, 4, UTF8) == (1, 10)
    assert index.from_client(1, 5, UTF16) == (1, 4)
    assert index.from_client(1, 10, UTF8) == (1, 4)
    assert index.from_client(5, 3, UTF16) == (2, 0)  # past the end of the text
    assert index.client_offset(1, 5, UTF16) == 2 + 4
    assert index.client_position(2 + 4, UTF8) == (1, 10)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40),
       st.sampled_from([UTF8, UTF16, UTF32]))
def test_round_trip_of_every_character_boundary(line: str, encoding: str) -> None:
    index = LineIndex(line)
    text = index.line(0)
    for column in range(len(text) + 1):
        assert index.from_client(*index.to_client(0, column, encoding), encoding) == (0, column)
