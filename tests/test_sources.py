"""Text files -> lines: decoding a chunk at a time, whatever falls on a chunk's edge.

The loader's own tests (test_actuals.py, test_formats.py) read whole files; these cut
them into chunks of a few bytes, so that every line end, every character and every bad
byte falls on a chunk's edge somewhere.
"""

from __future__ import annotations

import codecs
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sti_plan import sources
from sti_plan.actuals import load_actuals
from sti_plan.model import Plan
from sti_plan.problems import Problem
from sti_plan.sources import DecodedText


def decoded(
    data: bytes, chunk: int, monkeypatch: pytest.MonkeyPatch
) -> tuple[list[str], Problem | None]:
    """The lines of `data` decoded `chunk` bytes at a time, and what stopped them."""
    monkeypatch.setattr(sources, "_CHUNK", chunk)
    text = DecodedText(io.BytesIO(data), "t.csv")
    return list(text), text.stop


LINE_ENDS = ["\n", "\r\n", "\r"]


@settings(max_examples=300, deadline=None)
@given(
    lines=st.lists(st.text(alphabet="ab,高企\t", max_size=6), min_size=1, max_size=8),
    end=st.sampled_from(LINE_ENDS),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16-le", "utf-16-be"]),
    chunk=st.integers(min_value=1, max_value=9),
)
def test_lines_are_the_same_whatever_the_chunks(
    lines: list[str], end: str, encoding: str, chunk: int
) -> None:
    text = end.join(lines) + end
    bom = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}.get(encoding, b"")
    data = bom + text.encode(encoding)
    with pytest.MonkeyPatch.context() as patch:
        lines, stop = decoded(data, chunk, patch)
    assert stop is None
    assert lines == io.StringIO(text, newline="").readlines()


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 64])
@pytest.mark.parametrize("end", LINE_ENDS)
def test_a_bad_byte_ends_the_lines_after_the_last_whole_one(
    encoding: str, chunk: int, end: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = f"a,1{end}高企,2{end}b,高".encode(encoding)
    lines, stop = decoded(before + b"\xff" + f"3{end}c,4{end}".encode(encoding), chunk, monkeypatch)
    assert lines == [f"a,1{end}", f"高企,2{end}"]
    assert stop is not None and stop.line == 3
    assert f"byte 0xff at offset {len(before)}" in stop.message


def test_utf16_big_endian_keeps_its_byte_order_up_to_a_bad_unit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rows = "".join(f"r{i}\n" for i in range(30))
    # A lone low surrogate is no UTF-16 text: everything before it is read, in its byte order.
    data = codecs.BOM_UTF16_BE + rows.encode("utf-16-be") + b"\xdc\x00" + "x\n".encode("utf-16-be")
    lines, stop = decoded(data, 7, monkeypatch)
    assert lines == io.StringIO(rows, newline="").readlines()
    assert stop is not None and stop.line == 31
    assert f"offset {2 + len(rows) * 2}" in stop.message


def test_the_encoding_is_told_by_non_ascii_bytes_past_the_first_chunk(
    tmp_path: Path, plan: Plan, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sources, "_CHUNK", 64)
    ascii_rows = "".join(f"gdp,2020-{m:02d},{m}\n" for m in range(1, 13))
    path = tmp_path / "actuals.csv"
    path.write_bytes(("target,period,value\n" + ascii_rows + "高企,2020-06,812\n").encode("gbk"))
    actuals = load_actuals(path, plan)
    assert actuals.problems == []
    assert actuals.encoding == "gb18030"
    reported = actuals.reported("hitech_enterprises", 2020, 6)
    assert reported is not None and reported.city == 812
