"""lint.run over many files: the collector's settings, cross-file placement, workers."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from profilesmith.lint import run as lint_run
from profilesmith.lint.discover import expand
from tests.conftest import options
from tests.lint.test_engine import DUPLICATE


def test_batch_collects_rarely_and_restores_the_callers_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in range(3):
        (tmp_path / f"p{i}.mobileconfig").write_bytes(DUPLICATE)
    seen: list[tuple[tuple[int, int, int], int]] = []
    real = lint_run.lint_target

    def spy(*args: object, **kwargs: object) -> object:
        seen.append((gc.get_threshold(), gc.get_freeze_count()))
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(lint_run, "lint_target", spy)
    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    try:
        done = lint_run.lint_targets(expand([str(tmp_path)]), options())
        assert gc.get_threshold() == (700, 10, 10)
        assert gc.get_freeze_count() == 0
    finally:
        gc.set_threshold(*before)
    assert len(done.files) == 3
    assert [threshold for threshold, _ in seen] == [(10_000, 10, 10)] * 3
    assert all(frozen > 0 for _, frozen in seen)


def test_summaries_share_one_pointer_tuple_per_layout_and_one_empty_suppressions(
    tmp_path: Path,
) -> None:
    for i in range(3):
        (tmp_path / f"p{i}.mobileconfig").write_bytes(
            DUPLICATE.replace(b"not-a-uuid", f"UUID-{i}".encode()))
    (tmp_path / "q.mobileconfig").write_bytes(
        DUPLICATE.replace(b"<plist", b"<!-- profilesmith: ignore STR001 -->\n<plist"))
    done = lint_run.lint_targets(expand([str(tmp_path)]), options())
    summaries = [f.summary for f in done.files]
    assert all(s is not None for s in summaries)
    assert [s.uuids for s in summaries] == [  # type: ignore[union-attr]
        ("UUID-0",), ("UUID-1",), ("UUID-2",), ("not-a-uuid",)]
    assert summaries[0].uuid_pointers == ("/PayloadUUID",)  # type: ignore[union-attr]
    assert all(s.uuid_pointers is summaries[0].uuid_pointers  # type: ignore[union-attr]
               for s in summaries)
    assert summaries[0].suppressions is summaries[1].suppressions  # type: ignore[union-attr]
    assert summaries[3].suppressions.directives  # type: ignore[union-attr]


def test_api_entries_keep_the_order_and_let_the_results_go() -> None:
    from profilesmith.api import _entries
    from profilesmith.lint.engine import FileResult

    results = [FileResult(f"f{i}", "xml", False, False, []) for i in range(3)]
    assert [e["path"] for e in _entries(results)] == ["f0", "f1", "f2"]
    assert results == []


def _profile(*uuids: str) -> bytes:
    from profilesmith.plist.writer import dumps_xml

    payloads = [{"PayloadType": "com.apple.dock", "PayloadIdentifier": f"p.{i}",
                 "PayloadUUID": uuid, "PayloadVersion": 1} for i, uuid in enumerate(uuids)]
    return dumps_xml({"PayloadType": "Configuration", "PayloadIdentifier": "p",
                      "PayloadUUID": "TOP", "PayloadVersion": 1, "PayloadContent": payloads})


@pytest.mark.parametrize("uuids", [("A", "B"), ("", "B"), ("A", "x\ny"), ()])
def test_a_summary_gives_back_every_uuid_as_the_file_has_it(uuids: tuple[str, ...]) -> None:
    # kept as one joined string when that splits back into them, else as they are
    from profilesmith.lint.context import summarize
    from profilesmith.plist.reader import read_bytes

    summary = summarize(read_bytes(_profile(*uuids), "p.mobileconfig"))
    assert summary is not None
    assert summary.uuids == ("TOP", *uuids)
    assert summary.uuid_pointers == (
        "/PayloadUUID", *(f"/PayloadContent/{i}/PayloadUUID" for i in range(len(uuids))))
