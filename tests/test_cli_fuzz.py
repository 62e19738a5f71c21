"""The CLI under generated hostile input, in-process: damaged CSV bytes, damaged workbooks,
odd plans, odd options. Whatever comes in: no traceback, exit 0, 1 or 2, an output file
either as it was or complete, and no control character on stdout or stderr."""

from __future__ import annotations

import contextlib
import io
import os
import re
import tempfile
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from sti_plan.cli import app

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "actuals-2020-h1.csv"
GOOD = EXAMPLE.read_bytes()
# What a terminal must never get from us: C0 but tab and line ends, DEL, C1, bidi marks.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
FUZZ = settings(
    max_examples=int(os.environ.get("STI_PLAN_FUZZ_EXAMPLES", "120")),  # more for a long run
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def damaged(data: bytes, edits: list[tuple[int, bytes]]) -> bytes:
    for at, insert in edits:
        at %= len(data) + 1
        data = data[:at] + insert + data[at + len(insert) :]
    return data


EDITS = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=10_000),
        st.sampled_from(
            [
                b"\x00",
                b"\xff",
                b"\x1b[2J",
                b"\r",
                b"\n",
                b'"',
                b",",
                b";",
                b"\t",
                b"\xe2\x80\xae",
                b"\xc2\x9b",
                b"=HYPERLINK(",
                b"\xef\xbb\xbf",
                b"\xfe\xff",
                b"9" * 30,
                b"%",
                b"\x85",
            ]
        )
        | st.binary(max_size=12),
    ),
    max_size=8,
)
COMMANDS = st.sampled_from(
    [
        ["status"],
        ["status", "-f", "json"],
        ["status", "-f", "csv"],
        ["status", "-f", "markdown"],
        ["gap"],
        ["gap", "-t", "rd_ratio", "-f", "json"],
        ["gap", "-t", "高企"],
        ["validate"],
        ["validate", "-f", "github"],
        ["validate", "-f", "json"],
        ["regions"],
        ["regions", "-t", "key_projects", "-f", "csv"],
        ["status", "--region", "镜湖", "-f", "markdown"],
    ]
)
EXTRA_OPTIONS = st.lists(
    st.sampled_from(
        [
            ["--as-of", "2020-Q2"],
            ["--as-of", "\x1b"],
            ["--as-of", "1999"],
            ["--max-problems", "1"],
            ["--max-problems", "0"],
            ["--sheet", "nope"],
            ["-f", "xml"],
            ["--output"],
        ]
    ),
    max_size=2,
)


def check(result: object, before: bytes, output: Path) -> None:
    exception = getattr(result, "exception", None)
    assert exception is None or isinstance(exception, SystemExit), repr(exception)
    assert result.exit_code in (0, 1, 2)
    shown = result.stdout + result.stderr
    assert not CONTROL.search(shown), repr(CONTROL.search(shown))
    assert "Traceback" not in shown
    now = output.read_bytes()
    # validate's text report of a file with no problem is empty; anything else ends a line
    assert now in (before, b"") or now.endswith(b"\n"), "a partial output file"


def run(args: list[str], input_bytes: bytes | None = None) -> object:
    return CliRunner().invoke(app, args, input=input_bytes)


@FUZZ
@given(
    edits=EDITS,
    command=COMMANDS,
    extra=EXTRA_OPTIONS,
    suffix=st.sampled_from([".csv", ".tsv", ".txt"]),
)
def test_damaged_text_files(
    edits: list[tuple[int, bytes]], command: list[str], extra: list[list[str]], suffix: str
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"a{suffix}"
        path.write_bytes(damaged(GOOD, edits))
        output = Path(folder) / "out.txt"
        output.write_bytes(b"previous")
        args = [*command, str(path), *[part for option in extra for part in option]]
        if args[-1] != "--output":
            args += ["-o", str(output)]
        # "--output --output" writes a file named --output: in the scratch folder, not the work tree
        with contextlib.chdir(folder):
            check(run(args), b"previous", output)
            check(run([*command, str(path)]), b"previous", output)


@FUZZ
@given(edits=EDITS, command=COMMANDS)
def test_damaged_input_on_stdin(edits: list[tuple[int, bytes]], command: list[str]) -> None:
    if command[0] == "validate":
        command = ["status"]
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "out.txt"
        output.write_bytes(b"previous")
        check(run([*command, "-"], damaged(GOOD, edits)), b"previous", output)


def _workbook_bytes() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for line in GOOD.decode().splitlines():
        sheet.append(line.split(","))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


WORKBOOK = _workbook_bytes()


@FUZZ
@given(
    edits=EDITS,
    sheet_edits=st.lists(
        st.sampled_from(
            [
                (b'r="A', b'r="XFD'),
                (b'r="B2"', b'r="B1048576"'),
                (b"<v>", b"<v>\x1b"),
                (b'r="C', b'r="ZZZZZZZZ'),
                (b"</sheetData>", b'<row r="9999999999"/></sheetData>'),
            ]
        ),
        max_size=3,
    ),
    command=COMMANDS,
    suffix=st.sampled_from([".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"]),
)
def test_damaged_workbooks(
    edits: list[tuple[int, bytes]],
    sheet_edits: list[tuple[bytes, bytes]],
    command: list[str],
    suffix: str,
) -> None:
    data = WORKBOOK
    if sheet_edits:
        source = zipfile.ZipFile(io.BytesIO(data))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as target:
            for member in source.infolist():
                content = source.read(member)
                if member.filename.startswith("xl/worksheets/"):
                    for old, new in sheet_edits:
                        content = content.replace(old, new, 1)
                target.writestr(member, content)
        data = buffer.getvalue()
    if edits:
        data = damaged(data, edits)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"a{suffix}"
        path.write_bytes(data)
        output = Path(folder) / "out.txt"
        output.write_bytes(b"previous")
        check(run([*command, str(path), "-o", str(output)]), b"previous", output)


PLAN_LINES = st.lists(
    st.sampled_from(
        [
            "id: x",
            "year: 2020",
            "targets: []",
            "title: \x1b[31m",
            "- *a",
            "&a [1]",
            "published: 2020-13-01",
            "settings: {at_risk_ratio: 1e999}",
            "targets: [{id: A}]",
            "\t",
            "name: \u202e",
            "year: 99999999999999999999",
        ]
    )
    | st.text(max_size=20),
    max_size=6,
)


@FUZZ
@given(
    lines=PLAN_LINES,
    command=st.sampled_from([["targets"], ["template"], ["validate"], ["status", str(EXAMPLE)]]),
)
def test_odd_plans(lines: list[str], command: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        plan = Path(folder) / "p.yaml"
        written = "\n".join(lines).encode("utf-8", errors="surrogatepass")
        plan.write_bytes(written)
        output = Path(folder) / "out.txt"
        output.write_bytes(b"previous")
        check(run([*command, "--plan", str(plan), "-o", str(output)]), b"previous", output)
        assert plan.read_bytes() == written
