"""Hostile inputs: what once lost data, raised a traceback, hung, or reached the terminal raw.

Each test is one failure found by an attack run on the CLI, met as the user met it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sti_plan.cli import app

Write = Callable[[str, str | bytes], Path]
ROW = "hitech_enterprises,2020-06,812\n"
EXAMPLE_PATH = Path(__file__).resolve().parent.parent / "examples" / "actuals-2020-h1.csv"


def sti_plan(
    *args: str, stdin: bytes | None = None, **env: str
) -> subprocess.CompletedProcess[bytes]:
    """The CLI as a separate process: real pipes, real stdout encodings, real signals."""
    environment = {**os.environ, "COLUMNS": "120", "NO_COLOR": "1", **env}
    return subprocess.run(
        [sys.executable, "-m", "sti_plan", *args],
        input=stdin,
        capture_output=True,
        env=environment,
        check=False,
        timeout=120,
    )


# ---------------------------------------------------------------- data loss


def test_utf16be_rows_before_a_bad_unit_past_the_first_megabyte_are_all_read(
    runner: CliRunner, write: Write, free_plan_path: Path
) -> None:
    """40,000 rows (2 MB in UTF-16BE), then an unpaired surrogate: every row is read and
    the problem names line 40002 (once 38,069 rows and line 32112: the rows were read again
    as little-endian)."""
    rows = "".join(f"gdp,2020-06,{i},town-{i}\n" for i in range(40_000))
    text = "target,period,value,region\n" + rows
    data = (
        b"\xfe\xff"
        + text.encode("utf-16-be")
        + b"\xdc\x00"
        + "gdp,2020-06,1,x\n".encode("utf-16-be")
    )
    path = write("be.csv", data)
    result = runner.invoke(
        app, ["validate", str(path), "-f", "json", "--plan", str(free_plan_path)]
    )
    assert result.exit_code == 1
    (found,) = [f for f in json.loads(result.stdout)["files"] if f["kind"] == "actuals"]
    assert found["rows"] == 40_000
    assert found["encoding"] == "utf-16"
    (problem,) = found["problems"]
    assert problem["code"] == "encoding-error"
    assert problem["line"] == 40_002


# ---------------------------------------------------------------- pipes, devices, limits


def test_actuals_from_a_pipe(example: Path) -> None:
    """`cat f.csv | sti-plan status /dev/stdin` and `-` read the pipe like the file."""
    data = example.read_bytes()
    from_file = sti_plan("status", str(example), "-f", "json")
    for argument in ("/dev/stdin", "-"):
        piped = sti_plan("status", argument, "-f", "json", stdin=data)
        assert piped.returncode == 0, piped.stderr
        assert json.loads(piped.stdout)["targets"] == json.loads(from_file.stdout)["targets"]


def test_stdin_in_process(runner: CliRunner, example: Path) -> None:
    result = runner.invoke(app, ["status", "-", "-f", "json"], input=example.read_bytes())
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["as_of"] == "2020-06"


@pytest.mark.parametrize("how", ["argument", "environment"])
def test_a_device_is_refused_as_actuals(runner: CliRunner, how: str) -> None:
    """/dev/zero has no end: once a hang in encoding detection."""
    args, env = (
        (["status", "/dev/zero"], {})
        if how == "argument"
        else (["status"], {"STI_PLAN_ACTUALS": "/dev/zero"})
    )
    result = runner.invoke(app, args, env=env)
    assert result.exit_code == 2
    assert result.stderr == "error: /dev/zero: is a device, not an actuals file\n"


@pytest.mark.parametrize("how", ["option", "environment"])
def test_a_device_is_refused_as_the_plan(runner: CliRunner, example: Path, how: str) -> None:
    """The plan's size limit trusted the reported size (0): the read grew to 3.7 GB."""
    if how == "option":
        result = runner.invoke(app, ["status", str(example), "--plan", "/dev/urandom"])
    else:
        result = runner.invoke(app, ["status", str(example)], env={"STI_PLAN_PLAN": "/dev/zero"})
    assert result.exit_code == 2
    assert result.stderr.startswith("error: /dev/")
    assert result.stderr.endswith(": is a device, not a plan file\n")


def test_the_byte_limit_counts_what_a_pipe_gives(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sti_plan.limits

    monkeypatch.setattr(sti_plan.limits, "MAX_ACTUALS_BYTES", 1000)
    data = ("target,period,value\n" + "gdp,2020,1\n" * 200).encode()
    result = runner.invoke(app, ["status", "-"], input=data)
    assert result.exit_code == 2
    assert result.stderr == (
        "error: <stdin>: more than 1,000 bytes; files over 1,000 bytes are refused "
        "(split the file by year or region)\n"
    )


def test_a_plan_over_its_limit_from_a_pipe_is_refused(example: Path, tmp_path: Path) -> None:
    """A FIFO reports no size: the limit is on the bytes read."""
    fifo = tmp_path / "plan.yaml"
    os.mkfifo(fifo)
    writer = subprocess.Popen(
        [sys.executable, "-c", f"import sys; open({str(fifo)!r}, 'wb').write(b'#' * 6_000_000)"]
    )
    try:
        result = sti_plan("status", str(example), "--plan", str(fifo))
    finally:
        writer.kill()
        writer.wait()
    assert result.returncode == 2
    assert result.stderr.decode() == (
        f"error: {fifo}: more than 5,242,880 bytes; files over 5,242,880 bytes are refused "
        "(a plan has no need of more)\n"
    )


# ---------------------------------------------------------------- runaway cost


def test_empty_header_cells_cost_no_more_than_the_cells(runner: CliRunner, write: Write) -> None:
    """`target,period,value` then 100,000 commas: once quadratic (50,000 never finished)."""
    path = write("wide.csv", "target,period,value" + "," * 100_000 + "\n" + ROW)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == "ok: 1 file checked, no problems\n"


def test_a_line_over_a_million_characters_ends_the_reading(runner: CliRunner, write: Write) -> None:
    path = write("long.csv", "target,period,value\n" + ROW + "," * 1_100_000 + "\n" + ROW)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    assert result.stdout == (
        f"{path}:3: malformed-csv: line 3 is longer than 1,048,576 characters; "
        "the rest of the file was not read\n"
    )


def test_endless_nuls_from_a_pipe_end_at_the_line_limit(runner: CliRunner) -> None:
    result = runner.invoke(app, ["status", "-"], input=b"\0" * 3_000_000)
    assert result.exit_code == 1
    assert result.stderr == (
        "<stdin>:1: malformed-csv: line 1 is longer than 1,048,576 characters; "
        "the rest of the file was not read\n"
    )


# ---------------------------------------------------------------- silent acceptance


def test_a_value_under_a_column_with_no_name_is_a_problem(runner: CliRunner, write: Write) -> None:
    path = write("stray.csv", "target,period,value,,\nhitech_enterprises,2020-06,812,,999\n")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    assert result.stdout == (
        f"{path}:2:5: extra-cell: a value ('999') under a column with no name\n"
    )


def test_a_stray_workbook_cell_in_column_xfd_is_a_problem(
    runner: CliRunner, tmp_path: Path
) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "数据"
    sheet.append(["target", "period", "value"])
    sheet.append(["hitech_enterprises", "2020-06", 812])
    sheet["XFD2"] = 999
    path = tmp_path / "stray.xlsx"
    book.save(path)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    assert result.stdout == (
        f"{path}:数据!XFD2: extra-cell: a value ('999') under a column with no name\n"
    )


def test_27_digit_values_are_refused_on_every_row(runner: CliRunner, write: Write) -> None:
    """Eleven of them once summed to a wrong last digit."""
    value = "999999999999999.999999999999"
    rows = "".join(f"hitech_enterprises,2020-06,{value},town-{i}\n" for i in range(11))
    path = write("digits.csv", "target,period,value,region\n" + rows)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 11
    assert lines[0] == (
        f"{path}:2:3: type-error: out of range: '{value}' (numbers are below 10^15, "
        "with at most 20 digits and 12 decimal places)"
    )


def test_plan_numbers_keep_the_digit_limit(
    runner: CliRunner, write: Write, plan_data: dict[str, object]
) -> None:
    import yaml

    plan_data["derivations"][0]["scale"] = "100.0000000000001"  # type: ignore[index]
    plan_data["settings"]["at_risk_ratio"] = "0.1234567890123"  # type: ignore[index]
    path = write("plan.yaml", yaml.safe_dump(plan_data, allow_unicode=True))
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    assert "decimal places" in result.stdout
    assert [line.split(": ")[1] for line in result.stdout.splitlines()] == ["schema", "schema"]


# ---------------------------------------------------------------- terminal and logs


ESC_VALUE = "hitech_enterprises,2020-06,5a\x1bc\n"


@pytest.mark.parametrize("fmt", ["text", "github", "json"])
def test_control_characters_in_a_value_never_reach_the_terminal(
    runner: CliRunner, write: Write, fmt: str
) -> None:
    path = write("esc.csv", "target,period,value\n" + ESC_VALUE)
    result = runner.invoke(app, ["validate", str(path), "-f", fmt])
    assert result.exit_code == 1
    assert "\x1b" not in result.stdout + result.stderr
    if fmt == "json":
        (found,) = json.loads(result.stdout)["files"]
        (problem,) = found["problems"]
        assert problem["message"] == "value '5a\\x1bc' is in a\\x1bc, the target in 家"
    else:
        assert "'5a\\x1bc' is in a\\x1bc" in result.stdout


def test_control_characters_never_reach_stderr(runner: CliRunner, write: Write) -> None:
    path = write("esc.csv", "target,period,value\n" + ESC_VALUE)
    result = runner.invoke(app, ["status", str(path)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"{path}:2:3: unit-mismatch: value '5a\\x1bc' is in a\\x1bc, the target in 家\n"
    )


def test_control_characters_in_the_plan_are_escaped_in_tables_and_markdown(
    runner: CliRunner, write: Write, example: Path, plan_data: dict[str, object]
) -> None:
    import yaml

    plan_data["targets"][1]["name"] = "科技\x1b]0;pwned\x07型\u202e企业"  # type: ignore[index]
    path = write("plan.yaml", yaml.safe_dump(plan_data, allow_unicode=True))
    for fmt in ("table", "markdown", "csv"):
        result = runner.invoke(app, ["status", str(example), "--plan", str(path), "-f", fmt])
        assert result.exit_code == 0, result.stderr
        shown = result.stdout
        assert not any(c in shown for c in "\x1b\x07\u202e"), fmt
        # (rich drops a BEL itself)
        assert "科技\\x1b]0;pwned" in shown, fmt
        assert "\\u202e" in shown, fmt
    result = runner.invoke(app, ["status", str(example), "--plan", str(path), "-f", "json"])
    assert "\u202e" not in result.stdout
    assert json.loads(result.stdout)["targets"][1]["name"] == "科技\x1b]0;pwned\x07型\u202e企业"


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_a_newline_in_a_file_name_stays_on_its_line(
    runner: CliRunner, tmp_path: Path, fmt: str
) -> None:
    path = tmp_path / "two\nlines\x1b.csv"
    path.write_text("target,period,value\nhitech_enterprises,2020-06,x\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(path), "-f", fmt])
    assert result.exit_code == 1
    (line,) = result.stdout.splitlines()
    assert "two\\nlines\\x1b.csv" in line


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_a_stdout_that_cannot_encode_chinese(example: Path, encoding: str) -> None:
    """Tables and messages degrade to escapes; JSON stays JSON, in ASCII."""
    table = sti_plan("status", str(example), PYTHONIOENCODING=encoding)
    assert table.returncode == 0, table.stderr
    assert b"\\u9ad8\\u65b0" in table.stdout  # 高新
    as_json = sti_plan("status", str(example), "-f", "json", PYTHONIOENCODING=encoding)
    assert as_json.returncode == 0, as_json.stderr
    assert as_json.stdout.isascii()
    utf8 = sti_plan("status", str(example), "-f", "json")
    assert json.loads(as_json.stdout) == json.loads(utf8.stdout)
    bad = example.read_text(encoding="utf-8") + "高新技术企业,2020-06,5个\n"
    validate = sti_plan("validate", "-", PYTHONIOENCODING=encoding, stdin=bad.encode())
    assert validate.returncode == 2  # `-` is not a file validate can tell the kind of
    assert b"Traceback" not in validate.stderr
    status = sti_plan("status", "-", PYTHONIOENCODING=encoding, stdin=bad.encode())
    assert status.returncode == 1
    assert status.stderr.decode("ascii").endswith(
        "<stdin>:22:3: unit-mismatch: value '5\\u4e2a' is in \\u4e2a, the target in \\u5bb6\n"
    )


# ---------------------------------------------------------------- outputs


def _plan_copy(tmp_path: Path) -> Path:
    from sti_plan.plan_file import bundled_plan_path

    path = tmp_path / "p.yaml"
    path.write_bytes(bundled_plan_path().read_bytes())
    return path


@pytest.mark.parametrize(
    "command", [["template"], ["targets"], ["targets", "-f", "csv"], ["validate"]]
)
@pytest.mark.parametrize("how", ["option", "environment", "symlink"])
def test_no_command_writes_over_its_own_plan(
    runner: CliRunner, tmp_path: Path, command: list[str], how: str
) -> None:
    """`template --plan p.yaml -o p.yaml` once replaced the plan with a CSV, exit 0."""
    plan = _plan_copy(tmp_path)
    before = plan.read_bytes()
    output = plan
    if how == "symlink":
        output = tmp_path / "link.yaml"
        output.symlink_to(plan)
    args, env = [*command, "-o", str(output)], {}
    if how == "environment":
        env = {"STI_PLAN_PLAN": str(plan)}
    else:
        args += ["--plan", str(plan)]
    result = runner.invoke(app, args, env=env)
    assert result.exit_code == 2, result.stdout
    assert result.stderr == (
        f"error: --output: {output} is an input of this command; write somewhere else\n"
    )
    assert plan.read_bytes() == before


@pytest.mark.parametrize("command", [["validate"], ["targets"], ["template"], ["schema"]])
def test_the_bundled_plan_is_never_written(runner: CliRunner, command: list[str]) -> None:
    from sti_plan.plan_file import bundled_plan_path

    bundled = bundled_plan_path()
    before = bundled.read_bytes()
    try:
        result = runner.invoke(app, [*command, "-o", str(bundled)])
        assert bundled.read_bytes() == before
    finally:
        bundled.write_bytes(before)  # should this ever fail, the next tests keep their plan
    assert result.exit_code == 2
    assert result.stderr.startswith("error: --output: ")


def test_an_output_name_too_long_is_one_line(runner: CliRunner, tmp_path: Path) -> None:
    output = tmp_path / ("x" * 300 + ".json")
    result = runner.invoke(app, ["schema", "-o", str(output)])
    assert result.exit_code == 2
    assert result.stderr == f"error: --output: cannot write {output} (File name too long)\n"


def test_a_long_output_name_that_fits_is_written(runner: CliRunner, tmp_path: Path) -> None:
    """A 250-byte name is valid; its temporary file's name must be too."""
    output = tmp_path / ("x" * 245 + ".json")
    result = runner.invoke(app, ["schema", "-o", str(output)])
    assert result.exit_code == 0, result.stderr
    assert json.loads(output.read_text(encoding="utf-8"))["title"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root enters every folder")
def test_an_output_folder_that_cannot_be_entered_is_one_line(
    runner: CliRunner, tmp_path: Path
) -> None:
    folder = tmp_path / "closed"
    folder.mkdir()
    folder.chmod(0o000)
    try:
        result = runner.invoke(app, ["schema", "-o", str(folder / "s.json")])
    finally:
        folder.chmod(0o700)
    assert result.exit_code == 2
    assert (
        result.stderr == f"error: --output: cannot write {folder / 's.json'} (Permission denied)\n"
    )


def test_a_read_only_output_file_is_not_replaced(runner: CliRunner, tmp_path: Path) -> None:
    """As a shell's `>` would refuse it (root included: the file's mode says so)."""
    output = tmp_path / "kept.json"
    output.write_text("kept\n", encoding="utf-8")
    output.chmod(0o444)
    result = runner.invoke(app, ["schema", "-o", str(output)])
    assert result.exit_code == 2
    assert result.stderr == f"error: --output: {output} is read-only; write somewhere else\n"
    assert output.read_text(encoding="utf-8") == "kept\n"


INTERRUPTED_WRITE = """
import os, signal, sys
from pathlib import Path
import sti_plan.cli, sti_plan.output

real_fsync = os.fsync
def fsync(fd):
    real_fsync(fd)
    os.kill(os.getpid(), signal.{signal})
os.fsync = fsync
sys.argv = ["sti-plan", "schema", "-o", sys.argv[1]]
sti_plan.cli.run()
"""


@pytest.mark.parametrize(("name", "code"), [("SIGTERM", 143), ("SIGINT", 130)])
def test_a_signal_mid_write_leaves_no_temporary_file_and_no_traceback(
    tmp_path: Path, name: str, code: int
) -> None:
    """The signal lands after the temporary file is written, before it is renamed."""
    output = tmp_path / "out.json"
    output.write_text("previous\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", INTERRUPTED_WRITE.format(signal=name), str(output)],
        capture_output=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == code
    assert done.stderr == b""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]
    assert output.read_text(encoding="utf-8") == "previous\n"


def test_ctrl_c_while_reading_ends_quietly_with_130(tmp_path: Path) -> None:
    """A SIGINT at any moment (here: while the rows are read) prints nothing."""
    script = (
        "import os, signal, sys\n"
        "import sti_plan.actuals as a\n"
        "real = a._Reader.read_rows\n"
        "def read_rows(self, records):\n"
        "    os.kill(os.getpid(), signal.SIGINT)\n"
        "    return real(self, records)\n"
        "a._Reader.read_rows = read_rows\n"
        "import sti_plan.cli\n"
        f"sys.argv = ['sti-plan', 'status', {str(EXAMPLE_PATH)!r}]\n"
        "sti_plan.cli.run()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, check=False, timeout=60
    )
    assert (done.returncode, done.stdout, done.stderr) == (130, b"", b"")


def test_output_over_an_input_is_refused_before_any_work(runner: CliRunner, write: Write) -> None:
    """Even when the file has problems: the refusal comes first, and alone."""
    path = write("bad.csv", "target,period,value\nhitech_enterprises,2020-06,x\n")
    before = path.read_bytes()
    result = runner.invoke(app, ["status", str(path), "-o", str(path)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: --output: {path} is an input of this command; write somewhere else\n"
    )
    assert path.read_bytes() == before


def test_every_command_guards_its_inputs() -> None:
    """A command added later gets the guard too: it is the commands' class."""
    import typer.main

    from sti_plan.cli import _Command

    group = typer.main.get_command(app)
    commands = group.commands.values()  # type: ignore[attr-defined]
    assert commands
    assert all(isinstance(command, _Command) for command in commands)


def test_bytes_that_are_not_text_are_reported_when_the_header_lacks_a_column(
    runner: CliRunner, write: Write
) -> None:
    """The rows are not read on, but what was decoded still tells of the bad byte."""
    path = write("both.csv", b"target,period\nhitech_enterprises,2020-06\nx,2020-0\xff6\n")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    assert [line.split(": ")[1] for line in result.stdout.splitlines()] == [
        "missing-column",
        "encoding-error",
    ]


# ---------------------------------------------------------------- workbooks


def _workbook(
    tmp_path: Path, far: str | None = None, sheet_xml: Callable[[str], str] | None = None
) -> Path:
    """A small valid actuals workbook; `far`: one more cell there; `sheet_xml`: a change
    made to the sheet's XML afterwards (what Excel would refuse to write)."""
    import zipfile

    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["target", "period", "value"])
    sheet.append(["hitech_enterprises", "2020-06", 812])
    if far:
        sheet[far] = "x"
    path = tmp_path / "book.xlsx"
    book.save(path)
    if sheet_xml:
        changed = tmp_path / "changed.xlsx"
        with zipfile.ZipFile(path) as source, zipfile.ZipFile(changed, "w") as target:
            for member in source.infolist():
                data = source.read(member)
                if member.filename == "xl/worksheets/sheet1.xml":
                    data = sheet_xml(data.decode()).encode()
                target.writestr(member, data)
        changed.replace(path)
    return path


@pytest.mark.parametrize(
    ("far", "change", "message"),
    [
        ("XFD1048576", None, "spans 1,048,576 rows x 16,384 columns = 17,179,869,184 cells"),
        ("XFD20000", None, "spans 20,000 rows x 16,384 columns = 327,680,000 cells"),
        ("ZZ100000", None, "spans 100,000 rows x 702 columns = 70,200,000 cells"),
        ("B3", ("B3", "A4000000000"), "reaches row 4,000,000,000, column 3"),
        ("B3", ("B3", "ZZZZZZ99999999999"), "reaches row 99,999,999,999,"),
    ],
)
def test_a_workbook_whose_sheet_reaches_too_far_is_refused_not_aborted(
    tmp_path: Path, far: str, change: tuple[str, str] | None, message: str
) -> None:
    """The reader would allocate the whole extent (512 GB for XFD1048576) and abort."""
    edit = (lambda xml: xml.replace(*change)) if change else None
    path = _workbook(tmp_path, far, edit)
    result = sti_plan("validate", str(path))
    assert result.returncode == 2, result.stderr
    (line, _summary) = result.stderr.decode().splitlines()
    assert line.startswith(f"error: {path}: sheet 'Sheet' ")
    assert message in line


def _far_hidden(xml: str, tag: str) -> str:
    """The far cell's start tag written as `tag` (which must still place it at XFD1048576),
    the dimension telling a lie."""
    xml = xml.replace('ref="A1:XFD1048576"', 'ref="A1:C2"')
    return xml.replace('<c r="XFD1048576"', tag, 1)


def _across_a_read(xml: str) -> str:
    """The far cell's tag split by the 1 MiB read right after r="XFD, with a `>` in an
    attribute before it (once taken for the tag's end)."""
    tag = '<c foo=">" r="XFD'
    xml = _far_hidden(xml, '<c foo=">" r="XFD1048576"')
    at = xml.index(tag)
    head = xml[:at].encode()
    padding = (1 << 20) - len(head) - len(tag) - len("<!---->")
    return xml[:at] + "<!--" + "x" * padding + "-->" + xml[at:]


@pytest.mark.parametrize(
    "change",
    [
        lambda xml: _far_hidden(
            xml.replace('<row r="1048576"', "<row r='1048576'"), "<c r='XFD1048576'"
        ),
        lambda xml: _far_hidden(xml, '<c r = "XFD1048576"'),
        lambda xml: _far_hidden(xml, '<x:c r="XFD1048576"').replace(
            "</c></row></sheetData>", "</x:c></row></sheetData>"
        ),
        _across_a_read,
    ],
    ids=["single quotes", "spaces around =", "a namespace prefix", "a tag across a read"],
)
def test_a_far_cell_written_any_way_xml_allows_is_seen(
    tmp_path: Path, change: Callable[[str], str]
) -> None:
    """Each of these once reached the reader, which aborted without a word (exit 134)."""
    path = _workbook(tmp_path, "XFD1048576", change)
    result = sti_plan("validate", str(path))
    assert result.returncode == 2, result.stderr
    assert b"spans 1,048,576 rows x 16,384 columns" in result.stderr


def test_part_names_in_another_case_do_not_hide_the_sheet(tmp_path: Path) -> None:
    """The reader finds parts by name in any case (the relationship says SHEET1.xml, the part
    is sheet1.xml); the check once looked for them as named, found none, and let it by."""
    path = _workbook(tmp_path, "XFD1048576")
    _edit_member(
        path, "xl/_rels/workbook.xml.rels", lambda d: d.replace(b"sheet1.xml", b"SHEET1.xml")
    )
    result = sti_plan("validate", str(path))
    assert result.returncode == 2
    assert b"spans 1,048,576 rows" in result.stderr


@pytest.mark.parametrize("suffix", [".XLSX", ".XLS", ".Xlsb"])
def test_a_workbook_named_otherwise_is_checked_as_what_it_is(tmp_path: Path, suffix: str) -> None:
    """The reader tells a workbook by its content when the name does not say; so do we."""
    path = _workbook(tmp_path, "XFD1048576")
    named = path.with_suffix(suffix)
    path.rename(named)
    result = sti_plan("validate", str(named))
    assert result.returncode == 2, result.stderr
    assert b"spans 1,048,576 rows" in result.stderr


def test_a_workbook_part_declared_in_gbk_is_read(runner: CliRunner, tmp_path: Path) -> None:
    """A declaration no XML parser here reads (GBK, as Chinese tools write) once ended in
    a traceback."""
    import zipfile

    path = _workbook(tmp_path)
    changed = tmp_path / "gbk.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(changed, "w") as target:
        for member in source.infolist():
            data = source.read(member)
            if member.filename in ("xl/workbook.xml", "xl/worksheets/sheet1.xml"):
                data = data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data
                data = b'<?xml version="1.0" encoding="GBK"?>' + data
            target.writestr(member, data)
    result = runner.invoke(app, ["validate", str(changed)])
    assert result.exit_code == 0, result.output


def test_an_ods_declared_in_gbk_is_checked(tmp_path: Path) -> None:
    path = _ods(
        tmp_path / "book.ods",
        '<table:table-row table:number-rows-repeated="1000000000">CELL</table:table-row>',
    )
    _edit_member(path, "content.xml", lambda d: d.replace(b'encoding="UTF-8"', b'encoding="GBK"'))
    result = sti_plan("validate", str(path))
    assert result.returncode == 2
    assert b"reaches row 1,000,000,002" in result.stderr


def _edit_member(path: Path, name: str, change: Callable[[bytes], bytes]) -> None:
    import zipfile

    changed = path.with_name("edited" + path.suffix)
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(changed, "w") as target:
        for member in source.infolist():
            data = source.read(member)
            target.writestr(member, change(data) if member.filename == name else data)
    changed.replace(path)


def test_a_table_inside_an_ods_cell_does_not_end_the_sheet(tmp_path: Path) -> None:
    """The inner table's end once stopped the counting; a billion rows followed."""
    inner = (
        "<table:table-row><table:table-cell><table:table table:name='inner'/>"
        "</table:table-cell></table:table-row>"
    )
    path = _ods(
        tmp_path / "book.ods",
        inner + '<table:table-row table:number-rows-repeated="1000000000">CELL</table:table-row>',
    )
    result = sti_plan("validate", str(path))
    assert result.returncode == 2
    assert b"reaches row 1,000,000,003, column 3" in result.stderr


@pytest.mark.parametrize(
    "early",
    [
        b"\x00\x11" + (0x200000).to_bytes(4, "little") + bytes(13),  # BrtRowHdr, row 2,097,153
        b"\x92\x01\x00",  # BrtEndSheetData
    ],
    ids=["a row past the last", "the end of the sheet's data"],
)
def test_xlsb_records_before_the_sheet_data_do_not_end_the_count(
    tmp_path: Path, early: bytes
) -> None:
    """The reader passes over every record before the sheet's data; the check stopped there."""
    path = _xlsb(tmp_path / "far.xlsb", [*XLSB_TABLE, (1048575, 16383, "x")])
    begin = _record(0x81)
    _edit_member(path, "xl/worksheets/sheet1.bin", lambda d: begin + early + d[len(begin) :])
    result = sti_plan("validate", str(path))
    assert result.returncode == 2
    assert b"spans 1,048,576 rows x 16,384 columns" in result.stderr


def test_formatting_far_from_the_table_is_not_content(runner: CliRunner, tmp_path: Path) -> None:
    """A filled but empty cell at Z400000 and widths for 60 columns: the reader holds the
    table only (2 x 3), and so the workbook is read (once refused at 10.4M cells)."""
    openpyxl = pytest.importorskip("openpyxl")
    from openpyxl.styles import PatternFill

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["target", "period", "value"])
    sheet.append(["hitech_enterprises", "2020-06", 812])
    sheet["Z400000"].fill = PatternFill("solid", fgColor="FFFF00")
    for index in range(1, 61):
        sheet.column_dimensions[openpyxl.utils.get_column_letter(index)].width = 12
    path = tmp_path / "styled.xlsx"
    book.save(path)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0, result.output


def test_a_dimension_that_lies_big_is_not_believed(runner: CliRunner, tmp_path: Path) -> None:
    """The reader holds the cells from the first to the last, whatever the dimension says."""
    path = _workbook(
        tmp_path,
        sheet_xml=lambda xml: __import__("re").sub(
            r'<dimension ref="[^"]*"', '<dimension ref="A1:XFD1048576"', xml
        ),
    )
    assert 'ref="A1:XFD1048576"' in _sheet_xml(path)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0, result.stderr


def _sheet_xml(path: Path) -> str:
    import zipfile

    with zipfile.ZipFile(path) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode()


def test_a_dimension_that_lies_small_does_not_hide_a_far_cell(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path, "XFD1048576", lambda xml: xml.replace('ref="A1:XFD1048576"', 'ref="A1:C2"')
    )
    result = sti_plan("validate", str(path))
    assert result.returncode == 2
    assert b"spans 1,048,576 rows x 16,384 columns" in result.stderr


def test_a_workbook_that_unpacks_past_the_limit_is_refused(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sizes an archive declares are not trusted: the bytes are counted as unpacked."""
    import sti_plan.limits

    path = _workbook(tmp_path)
    monkeypatch.setattr(sti_plan.limits, "MAX_WORKBOOK_UNPACKED_BYTES", 2000)
    result = runner.invoke(app, ["status", str(path)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {path}: unpacks to more than 2,000 bytes; workbooks over that are refused "
        "(save the sheet as CSV)\n"
    )


def test_a_workbook_within_the_limits_is_read(runner: CliRunner, tmp_path: Path) -> None:
    path = _workbook(tmp_path)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0, result.stderr


def _record(kind: int, data: bytes = b"") -> bytes:
    """One .xlsb record: its type and size as 7-bit groups (high bit: more), then data."""
    head = bytes([kind]) if kind < 0x80 else bytes([(kind & 0x7F) | 0x80, kind >> 7])
    size, left = b"", len(data)
    while True:
        size += bytes([(left & 0x7F) | (0x80 if left >> 7 else 0)])
        left >>= 7
        if not left:
            return head + size + data


def _wide(text: str) -> bytes:
    return len(text).to_bytes(4, "little") + text.encode("utf-16-le")


XlsbCell = tuple[int, int, "str | float | bytes"]


def _xlsb(path: Path, cells: list[XlsbCell]) -> Path:
    """An .xlsb of one sheet 'S' (no shared strings, no styles), built record by record
    (MS-XLSB): `cells` are (row, column, value) from 0; bytes are a raw shared-string
    index record's data."""
    import struct
    import zipfile

    records = [_record(0x81), _record(0x94, bytes(16)), _record(0x91)]  # sheet, dim, data
    row = None
    for r, c, value in cells:
        if r != row:
            records.append(_record(0x00, struct.pack("<I", r) + bytes(13)))  # BrtRowHdr
            row = r
        place = struct.pack("<II", c, 0)
        if isinstance(value, str):
            records.append(_record(0x06, place + _wide(value)))  # BrtCellSt
        elif isinstance(value, bytes):
            records.append(_record(0x07, place + value))  # BrtCellIsst
        else:
            records.append(_record(0x05, place + struct.pack("<d", value)))  # BrtCellReal
    records += [_record(0x92), _record(0x82)]
    book = b"".join(
        [
            _record(0x83),  # BrtBeginBook
            _record(0x8F),  # BrtBeginBundleShs
            _record(0x9C, bytes(8) + _wide("rId1") + _wide("S")),  # BrtBundleSh
            _record(0x90),  # BrtEndBundleShs
            _record(0x84),  # BrtEndBook
        ]
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http'
        '://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet1.bin"/></Relationships>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.bin", book)
        archive.writestr("xl/_rels/workbook.bin.rels", rels)
        archive.writestr("xl/worksheets/sheet1.bin", b"".join(records))
    return path


XLSB_TABLE: list[XlsbCell] = [
    (0, 0, "target"),
    (0, 1, "period"),
    (0, 2, "value"),
    (1, 0, "hitech_enterprises"),
    (1, 1, "2020-06"),
    (1, 2, 812.0),
]


def test_an_xlsb_workbook_is_read(runner: CliRunner, tmp_path: Path) -> None:
    path = _xlsb(tmp_path / "book.xlsb", XLSB_TABLE)
    result = runner.invoke(app, ["status", str(path), "-f", "json"])
    assert result.exit_code == 0, result.stderr
    (found,) = [t for t in json.loads(result.stdout)["targets"] if t["id"] == "hitech_enterprises"]
    assert found["actual"] == 812


@pytest.mark.parametrize(
    ("far", "message"),
    [
        ((1048575, 16383, "x"), "spans 1,048,576 rows x 16,384 columns = 17,179,869,184 cells"),
        ((2, 0xFFFF_FFF0, "x"), "reaches row 3, column 4,294,967,281;"),
        ((19999, 16383, 1.0), "spans 20,000 rows x 16,384 columns = 327,680,000 cells"),
    ],
)
def test_an_xlsb_sheet_that_reaches_too_far_is_refused_not_aborted(
    tmp_path: Path, far: XlsbCell, message: str
) -> None:
    """The reader believes where an .xlsb's cells stand, as an .xlsx's (it aborted, 134)."""
    path = _xlsb(tmp_path / "far.xlsb", [*XLSB_TABLE, far])
    result = sti_plan("validate", str(path))
    assert result.returncode == 2, result.stderr
    (line, _summary) = result.stderr.decode().splitlines()
    assert line.startswith(f"error: {path}: sheet 'S' ")
    assert message in line


def test_a_far_xlsb_cell_after_a_record_longer_than_a_read_is_still_seen(tmp_path: Path) -> None:
    """Records are read a megabyte at a time: one of 3 MB is passed over, not lost in."""
    path = _xlsb(tmp_path / "long.xlsb", [*XLSB_TABLE, (2, 0, "长" * 1_500_000), (3, 20000, "x")])
    result = sti_plan("validate", str(path))
    assert result.returncode == 2
    assert b"reaches row 4, column 20,001;" in result.stderr


def test_a_panic_of_the_workbook_reader_is_one_line(tmp_path: Path) -> None:
    """A shared string's index past the table (there is none) made the reader panic: a
    traceback and, on stderr, the reader's own report and backtrace."""
    path = _xlsb(tmp_path / "damaged.xlsb", [*XLSB_TABLE, (2, 0, (5).to_bytes(4, "little"))])
    result = sti_plan("validate", str(path), RUST_BACKTRACE="1")
    assert result.returncode == 2
    assert result.stderr.decode().splitlines() == [
        f"error: {path}: cannot read sheet 'S' (a damaged workbook: index out of bounds: "
        "the len is 0 but the index is 5)",
        "0 problems in 0 files checked; 1 could not be read",
    ]


# ---------------------------------------------------------------- decided


@pytest.mark.parametrize("value", ["٣٤", "۳٤", "३४", "8 12", "1, 120", "- 5"])
def test_digits_of_other_scripts_and_spaces_inside_a_number_are_not_numbers(
    runner: CliRunner, write: Write, value: str
) -> None:
    """Chinese spreadsheets write 0-9 (or full-width ０-９); `8 12` is no way to write 812."""
    path = write("n.csv", f'target,period,value\nhitech_enterprises,2020-06,"{value}"\n')
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    assert result.stdout == f"{path}:2:3: type-error: not a number: {value!r}\n"


@pytest.mark.parametrize(
    ("value", "read"), [("１２", "12"), (" 812 家", "812"), ("6200 万元", None)]
)
def test_full_width_digits_and_a_space_before_the_unit_still_read(
    runner: CliRunner, write: Write, value: str, read: str | None
) -> None:
    target = "key_project_funding" if read is None else "hitech_enterprises"
    path = write("n.csv", f"target,period,value\n{target},2020-06,{value}\n")
    result = runner.invoke(app, ["status", str(path), "-f", "json"])
    assert result.exit_code == 0, result.stderr
    (found,) = [t for t in json.loads(result.stdout)["targets"] if t["id"] == target]
    assert found["actual"] == (int(read) if read else 0.62)  # 6200万元 = 0.62亿元


def test_a_formula_error_in_a_workbook_is_named(runner: CliRunner, tmp_path: Path) -> None:
    """The reader gives #DIV/0! as an empty cell; the sheet's XML says what it was, so the
    value is not taken for a row left unfilled."""
    path = _workbook(
        tmp_path,
        sheet_xml=lambda xml: __import__("re").sub(
            r'<c r="C2"[^>]*>.*?</c>', '<c r="C2" t="e"><v>#DIV/0!</v></c>', xml
        ),
    )
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    assert result.stdout == (
        f"{path}:Sheet!C2: type-error: not a number: '#DIV/0!' (a formula error in the workbook)\n"
    )


def test_an_empty_workbook_value_with_its_source_names_a_formula_error(
    runner: CliRunner, tmp_path: Path
) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.append(["target", "period", "value", "source"])
    book.active.append(["hitech_enterprises", "2020-06", None, "统计快报"])
    path = tmp_path / "book.xlsx"
    book.save(path)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    assert result.stdout == (
        f"{path}:Sheet!C2: type-error: empty value (or a formula error such as #DIV/0!)\n"
    )


def test_a_terminal_width_of_zero_is_not_believed(example: Path) -> None:
    result = sti_plan("status", str(example), COLUMNS="0")
    assert result.returncode == 0
    assert b"Target" in result.stdout
    assert b"Status" in result.stdout  # the table is laid out, 80 columns wide


def _ods(path: Path, extra_row: str) -> Path:
    """An .ods of a header and one good row, then `extra_row` (table:table-row XML)."""
    import zipfile

    def cell(text: str, kind: str = "string") -> str:
        value = f' office:value="{text}"' if kind == "float" else ""
        return (
            f'<table:table-cell office:value-type="{kind}"{value}><text:p>{text}</text:p>'
            "</table:table-cell>"
        )

    rows = (
        f"<table:table-row>{cell('target')}{cell('period')}{cell('value')}</table:table-row>"
        f"<table:table-row>{cell('hitech_enterprises')}{cell('2020-06')}{cell('812', 'float')}"
        "</table:table-row>" + extra_row.replace("CELL", cell("1", "float"))
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="S">{rows}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "mimetype",
            "application/vnd.oasis.opendocument.spreadsheet",
            compress_type=zipfile.ZIP_STORED,
        )
        archive.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
            '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
            '<manifest:file-entry manifest:full-path="/" manifest:media-type='
            '"application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry '
            'manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            "</manifest:manifest>",
        )
        archive.writestr("content.xml", content)
    return path


def test_an_ods_row_repeated_a_billion_times_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    """The reader expands repeated rows: 20,000,000 of them took 15 s and 234 MB."""
    path = _ods(
        tmp_path / "book.ods",
        '<table:table-row table:number-rows-repeated="1000000000">CELL</table:table-row>',
    )
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    assert "sheet 'S' reaches row 1,000,000,002, column 3;" in result.stderr


def test_an_ods_cell_repeated_past_the_last_column_is_refused(
    runner: CliRunner, tmp_path: Path
) -> None:
    repeated = '<table:table-cell table:number-columns-repeated="20000000" office:value-type'
    path = _ods(
        tmp_path / "wide.ods",
        f'<table:table-row>{repeated}="float" office:value="1"><text:p>1</text:p>'
        "</table:table-cell></table:table-row>",
    )
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    assert "sheet 'S' reaches row 3, column 20,000,000;" in result.stderr


def test_an_ods_with_libreoffice_empty_rows_to_the_end_is_read(
    runner: CliRunner, tmp_path: Path
) -> None:
    """LibreOffice repeats an empty row to the sheet's end: no content, no extent."""
    path = _ods(
        tmp_path / "book.ods",
        '<table:table-row table:number-rows-repeated="1048574">'
        '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>',
    )
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0, result.stdout + result.stderr


# ---------------------------------------------------------------- options


def test_usage_errors_escape_what_was_typed(runner: CliRunner) -> None:
    """Typer's own messages quote the option or argument: a bidi override got through raw."""
    for args in (["status", "a", "b\u202e\u2028"], ["status", "--x\u202e"], ["--x\u2066"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 2
        assert not set(result.stderr) & {"\u202e", "\u2028", "\u2066"}
        assert "\\u202e" in result.stderr or "\\u2066" in result.stderr


def test_an_output_of_a_file_whose_name_is_not_utf8_is_written(tmp_path: Path) -> None:
    """A file name's undecodable byte (shown as \\udcff) made the write fail with a traceback."""
    name = os.fsencode(tmp_path) + b"/bad\xff.csv"
    with open(EXAMPLE_PATH, "rb") as source, open(name, "wb") as target:
        target.write(source.read())
    out = tmp_path / "o.json"
    result = sti_plan("validate", os.fsdecode(name), "-f", "json", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert json.loads(out.read_text())["files"][0]["path"].endswith("bad\udcff.csv")


def test_an_output_of_dash_is_standard_output(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["status", str(EXAMPLE_PATH), "-f", "json", "-o", "-"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["as_of"] == "2020-06"
    assert not (tmp_path / "-").exists()
