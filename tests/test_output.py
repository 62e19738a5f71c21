"""--output, formula-safe CSV, and the problem cap: what users rely on when files are written."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sti_plan.cli import app
from sti_plan.output import write_atomically
from sti_plan.problems import StiPlanError
from sti_plan.render.records import to_csv

Write = Callable[..., Path]


def test_csv_to_a_file_has_a_bom_for_excel(
    runner: CliRunner, example: Path, tmp_path: Path
) -> None:
    target = tmp_path / "status.csv"
    result = runner.invoke(app, ["status", str(example), "-f", "csv", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    stdout = runner.invoke(app, ["status", str(example), "-f", "csv"]).stdout
    assert not stdout.startswith("\ufeff")
    assert data.decode("utf-8-sig").splitlines() == stdout.splitlines()
    assert data.endswith(b"off_track\r\n")  # RFC 4180 line ends


def test_json_and_tables_to_a_file_are_plain_utf8(
    runner: CliRunner, example: Path, tmp_path: Path
) -> None:
    json_file, table_file = tmp_path / "s.json", tmp_path / "s.txt"
    assert (
        runner.invoke(app, ["status", str(example), "-f", "json", "-o", str(json_file)]).exit_code
        == 0
    )
    assert runner.invoke(app, ["status", str(example), "-o", str(table_file)]).exit_code == 0
    assert json_file.read_bytes().startswith(b"{")
    table = table_file.read_text(encoding="utf-8")
    assert table.startswith("市科学技术局2020年工作要点 · as of 2020-06")
    assert "\x1b[" not in table  # no colour codes in files


@pytest.mark.parametrize(
    "command",
    [
        ["targets", "-f", "csv"],
        ["template"],
        ["gap", "-t", "rd_ratio", "-f", "markdown"],
        ["validate"],
        ["schema"],
    ],
)
def test_every_command_writes_its_output_file(
    runner: CliRunner, example: Path, tmp_path: Path, command: list[str]
) -> None:
    target = tmp_path / "out"
    args = [*command, "-o", str(target)]
    if command[0] == "gap":
        args.insert(1, str(example))
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    written = target.read_bytes()
    assert written == (b"" if command == ["validate"] else written) and (
        written or command == ["validate"]
    )


def test_a_failed_run_leaves_the_previous_file_intact(
    runner: CliRunner, write: Write, tmp_path: Path
) -> None:
    target = write("status.json", '{"previous": true}\n')
    bad = write("bad.csv", "target,period,value\nkey_projects,2020-06,many\n")
    result = runner.invoke(app, ["status", str(bad), "-f", "json", "-o", str(target)])
    assert result.exit_code == 1
    assert target.read_text(encoding="utf-8") == '{"previous": true}\n'
    missing = runner.invoke(app, ["status", str(tmp_path / "nowhere.csv"), "-o", str(target)])
    assert missing.exit_code == 2
    assert target.read_text(encoding="utf-8") == '{"previous": true}\n'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv", "status.json"]


def test_an_interrupted_write_leaves_the_previous_file_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.csv"
    target.write_text("previous\n", encoding="utf-8")

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomically(target, b"new\n")
    assert target.read_text(encoding="utf-8") == "previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.csv"]  # no temporary left behind


def test_an_existing_file_keeps_its_permissions(tmp_path: Path) -> None:
    target = tmp_path / "report.csv"
    target.write_text("previous\n", encoding="utf-8")
    target.chmod(0o640)
    write_atomically(target, b"new\n")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert target.read_bytes() == b"new\n"


def test_output_into_a_missing_folder_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["targets", "-o", str(tmp_path / "no" / "such" / "t.txt")])
    assert result.exit_code == 2
    assert (
        result.stderr
        == f"error: --output: no folder {tmp_path / 'no' / 'such'} to write t.txt in\n"
    )


def test_output_onto_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StiPlanError, match="is a directory"):
        write_atomically(tmp_path, b"x")


@pytest.mark.parametrize("cell", ["=SUM(A1:A9)", "+1", "-cmd", "@x", "\tx", "\rx"])
def test_csv_text_cells_that_look_like_formulas_are_kept_as_text(cell: str) -> None:
    [row] = csv.reader(io.StringIO(to_csv([[cell, -36, 1.5]]), newline=""))
    assert row == ["'" + cell, "-36", "1.5"]  # numbers, negative ones too, stay numbers


def test_plan_names_that_look_like_formulas_are_neutralised(
    runner: CliRunner, write: Write, example: Path
) -> None:
    plan_text = (
        Path(__file__)
        .resolve()
        .parent.parent.joinpath("data", "plan2020.yaml")
        .read_text(encoding="utf-8")
    )
    plan = write(
        "plan.yaml", plan_text.replace("name_en: High-tech enterprises", 'name_en: "=HYPERLINK(1)"')
    )
    result = runner.invoke(app, ["status", str(example), "--plan", str(plan), "-f", "csv"])
    assert result.exit_code == 0, result.output
    assert ",'=HYPERLINK(1)," in result.stdout


# ---------------------------------------------------------------- the problem cap


def many_bad_rows(count: int) -> str:
    return "target,period,value\n" + "".join(
        f"key_projects,2020-{i % 12 + 1:02d},x{i}\n" for i in range(count)
    )


def test_at_most_100_problems_are_printed_then_a_count(runner: CliRunner, write: Write) -> None:
    path = write("bad.csv", many_bad_rows(250))
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 100
    assert lines[0] == f"{path}:2:3: type-error: not a number: 'x0'"
    assert lines[-1] == f"{path}:101:3: type-error: not a number: 'x99'"
    assert result.stderr == (
        "… and 150 more problems (use --max-problems)\n250 problems in 1 file checked\n"
    )


def test_max_problems_sets_the_cap_and_zero_shows_all(runner: CliRunner, write: Write) -> None:
    path = write("bad.csv", many_bad_rows(250))
    five = runner.invoke(app, ["validate", str(path), "--max-problems", "5"])
    assert len(five.stdout.splitlines()) == 5
    assert five.stderr.startswith("… and 245 more problems")
    every = runner.invoke(app, ["validate", str(path), "--max-problems", "0"])
    assert len(every.stdout.splitlines()) == 250
    assert every.stderr == "250 problems in 1 file checked\n"


def test_status_caps_the_problems_on_stderr(runner: CliRunner, write: Write) -> None:
    path = write("bad.csv", many_bad_rows(120) + "talent_teams,2020-06,12\n")
    result = runner.invoke(app, ["status", str(path), "-f", "json"])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 101
    assert lines[-1] == "… and 20 more problems (use --max-problems)"


def test_json_report_counts_every_problem(runner: CliRunner, write: Write) -> None:
    path = write("bad.csv", many_bad_rows(250))
    result = runner.invoke(app, ["validate", str(path), "-f", "json", "--max-problems", "10"])
    report = json.loads(result.stdout)
    assert report["problem_count"] == 250
    assert report["files"][0]["problem_count"] == 250
    assert len(report["files"][0]["problems"]) == 10


def test_a_negative_cap_is_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(app, ["validate", "--max-problems", "-1"])
    assert result.exit_code == 2


# ---------------------------------------------------------------- size limits


def test_a_plan_over_5_mb_is_refused(runner: CliRunner, write: Write) -> None:
    plan = write("huge.yaml", "# padding\n" * 600_000)
    result = runner.invoke(app, ["validate", str(plan)])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"error: {plan}: 6,000,000 bytes; files over 5,242,880 bytes are refused "
        "(a plan has no need of more)",
        "0 problems in 0 files checked; 1 could not be read",
    ]


def test_actuals_over_the_limit_are_refused(
    runner: CliRunner, write: Write, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sti_plan.limits

    monkeypatch.setattr(sti_plan.limits, "MAX_ACTUALS_BYTES", 1000)
    path = write("big.csv", "target,period,value\n" + "gdp,2020,1\n" * 200)
    result = runner.invoke(app, ["status", str(path)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {path}: 2,220 bytes; files over 1,000 bytes are refused (split the file by year or region)\n"
    )


def test_a_new_file_gets_the_usual_permissions(runner: CliRunner, tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        target = tmp_path / "targets.csv"
        assert runner.invoke(app, ["targets", "-f", "csv", "-o", str(target)]).exit_code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_a_symbolic_link_is_followed_not_replaced(runner: CliRunner, tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_text("{}", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    assert runner.invoke(app, ["targets", "-f", "json", "-o", str(link)]).exit_code == 0
    assert link.is_symlink()
    assert json.loads(real.read_text(encoding="utf-8"))["schema_version"] == 1


def test_a_device_is_written_through(runner: CliRunner) -> None:
    result = runner.invoke(app, ["targets", "-f", "csv", "-o", os.devnull])
    assert result.exit_code == 0, result.output
    assert not Path(os.devnull).is_file()


def test_output_over_an_input_is_refused(runner: CliRunner, example: Path, tmp_path: Path) -> None:
    actuals = tmp_path / "actuals.csv"
    actuals.write_bytes(example.read_bytes())
    for command in (["status", str(actuals)], ["validate", str(actuals)]):
        result = runner.invoke(app, [*command, "-o", str(actuals)])
        assert result.exit_code == 2
        assert result.stderr.startswith(f"error: --output: {actuals} is an input of this command")
    assert actuals.read_bytes() == example.read_bytes()
