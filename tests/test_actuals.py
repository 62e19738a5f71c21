"""The actuals CSV loader, against the README's "The actuals CSV" and "Validation"."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from sti_plan.actuals import load_actuals
from sti_plan.model import Plan
from sti_plan.observations import Actuals
from sti_plan.problems import Problem, StiPlanError

ReadCsv = Callable[..., Actuals]
Write = Callable[[str, str | bytes], Path]

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "actuals-2020-h1.csv"
HEADER = "target,period,value,region\n"


def only(actuals: Actuals) -> Problem:
    """The one problem of a file that must have exactly one."""
    assert len(actuals.problems) == 1, actuals.problems
    return actuals.problems[0]


def where(problem: Problem) -> tuple[str, int | None, int | None]:
    return problem.code, problem.line, problem.col


# --- a clean file -------------------------------------------------------------------------------

CLEAN = (
    "target,period,value,region,note,source\n"
    "hitech_enterprises,2019,785,,2019 year-end: the baseline,\n"
    "hitech_enterprises,2020-06,812,,,\n"
    "key_project_funding,2020-06,0.46,,,\n"
    "rd_institutions,2020-06,1,镜湖区,,\n"
    "rd_institutions,2020-06,2,鸠江区,,\n"
    "高企,2020-Q1,800,,,\n"
    "研发投入强度,2020-H1,2.61,,,\n"
)


def test_clean_file_has_no_problems_and_counts_its_rows(read_csv: ReadCsv) -> None:
    actuals = read_csv(CLEAN)
    assert actuals.problems == []
    assert actuals.rows == 7
    assert actuals.path == "actuals.csv"


def test_whole_city_value_is_folded_per_measure_and_period(read_csv: ReadCsv) -> None:
    reported = read_csv(CLEAN).reported("hitech_enterprises", 2020, 6)
    assert reported is not None
    assert reported.city == Decimal("812")
    assert reported.label == "2020-06"
    assert reported.regional_sum == 0
    assert reported.regional_count == 0


def test_previous_year_row_is_kept_as_its_own_period(read_csv: ReadCsv) -> None:
    baseline = read_csv(CLEAN).reported("hitech_enterprises", 2019, 12)
    assert baseline is not None
    assert baseline.city == Decimal("785")
    assert baseline.label == "2019"


def test_decimal_values_are_exact(read_csv: ReadCsv) -> None:
    reported = read_csv(CLEAN).reported("key_project_funding", 2020, 6)
    assert reported is not None
    assert reported.city == Decimal("0.46")
    assert str(reported.city) == "0.46"  # not 0.4600000000000000199840144432528...


def test_regional_rows_are_summed_and_counted(read_csv: ReadCsv) -> None:
    reported = read_csv(CLEAN).reported("rd_institutions", 2020, 6)
    assert reported is not None
    assert reported.city is None
    assert reported.regional_sum == Decimal("3")
    assert reported.regional_count == 2


def test_city_row_and_regional_rows_of_one_period_live_together(read_csv: ReadCsv) -> None:
    actuals = read_csv(HEADER + "gdp,2020-06,1708.9,\ngdp,2020-06,400.1,镜湖区\n")
    assert actuals.problems == []
    reported = actuals.reported("gdp", 2020, 6)
    assert reported is not None
    assert reported.city == Decimal("1708.9")
    assert reported.regional_sum == Decimal("400.1")
    assert reported.regional_count == 1


@pytest.mark.parametrize(
    ("written", "measure_id", "year", "months", "label", "value"),
    [
        ("高企", "hitech_enterprises", 2020, 3, "2020-Q1", "800"),  # an alias
        ("研发投入强度", "rd_ratio", 2020, 6, "2020-H1", "2.61"),  # an alias
    ],
)
def test_aliases_resolve_to_the_measure_id(
    read_csv: ReadCsv,
    written: str,
    measure_id: str,
    year: int,
    months: int,
    label: str,
    value: str,
) -> None:
    actuals = read_csv(CLEAN)
    assert written not in actuals.values
    reported = actuals.reported(measure_id, year, months)
    assert reported is not None
    assert reported.label == label
    assert reported.city == Decimal(value)


def test_chinese_name_and_indicator_resolve(read_csv: ReadCsv) -> None:
    actuals = read_csv(HEADER + "高新技术企业,2020-06,812,\n地区生产总值,2020-06,1708.9,\n")
    assert actuals.problems == []
    assert actuals.reported("hitech_enterprises", 2020, 6) is not None
    assert actuals.reported("gdp", 2020, 6) is not None


def test_unreported_period_is_none(read_csv: ReadCsv) -> None:
    actuals = read_csv(CLEAN)
    assert actuals.reported("hitech_enterprises", 2020, 9) is None
    assert actuals.reported("incubators", 2020, 6) is None


def test_optional_columns_in_any_order(read_csv: ReadCsv) -> None:
    actuals = read_csv(
        "source,value,region,note,period,target\n"
        "bureau,1,镜湖区,first,2020-06,rd_institutions\n"
        ",812,,,2020-06,hitech_enterprises\n"
    )
    assert actuals.problems == []
    assert actuals.rows == 2
    regional = actuals.reported("rd_institutions", 2020, 6)
    assert regional is not None
    assert regional.city is None
    assert regional.regional_sum == Decimal(1)
    assert regional.regional_count == 1
    city = actuals.reported("hitech_enterprises", 2020, 6)
    assert city is not None
    assert city.city == Decimal("812")


def test_required_columns_alone_are_enough(read_csv: ReadCsv) -> None:
    actuals = read_csv("value,period,target\n812,2020-06,hitech_enterprises\n")
    assert actuals.problems == []
    reported = actuals.reported("hitech_enterprises", 2020, 6)
    assert reported is not None
    assert reported.city == Decimal("812")


def test_header_names_with_surrounding_spaces(read_csv: ReadCsv) -> None:
    actuals = read_csv(" target ,  period,value  , region \nhitech_enterprises,2020-06,812,\n")
    assert actuals.problems == []
    assert actuals.rows == 1


def test_cells_with_surrounding_spaces(read_csv: ReadCsv) -> None:
    actuals = read_csv(HEADER + " hitech_enterprises , 2020-06 , 812 , 镜湖区 \n")
    assert actuals.problems == []
    reported = actuals.reported("hitech_enterprises", 2020, 6)
    assert reported is not None
    assert reported.regional_sum == Decimal("812")
    assert list(reported.regions) == ["jinghu"]  # the declared region: its id


def test_blank_lines_and_rows_of_empty_cells_are_skipped(read_csv: ReadCsv) -> None:
    actuals = read_csv(
        HEADER
        + "\n"  # line 2
        + "hitech_enterprises,2020-06,812,\n"  # line 3
        + ",,,\n"  # line 4: Excel's row of empty cells
        + "   \n"  # line 5
        + ", ,,\n"  # line 6
        + "gdp,2020-06,oops,\n"  # line 7
        + "\n"
    )
    assert actuals.rows == 2
    # Skipped lines still count: the problem is on the file's own line 7.
    assert [where(p) for p in actuals.problems] == [("type-error", 7, 3)]


def test_crlf_line_endings(read_csv: ReadCsv) -> None:
    actuals = read_csv("target,period,value\r\nhitech_enterprises,2020-06,812\r\ngdp,2020-06,x\r\n")
    assert actuals.rows == 2
    assert [where(p) for p in actuals.problems] == [("type-error", 3, 3)]


def test_utf8_bom_is_stripped(write: Write, plan: Plan) -> None:
    path = write("actuals.csv", ("\ufeff" + HEADER + "高企,2020-06,812,\n").encode("utf-8"))
    actuals = load_actuals(path, plan)
    assert actuals.problems == []
    assert actuals.rows == 1
    assert actuals.path == str(path)
    reported = actuals.reported("hitech_enterprises", 2020, 6)
    assert reported is not None
    assert reported.city == Decimal("812")


def test_bundled_example_loads_cleanly(plan: Plan) -> None:
    actuals = load_actuals(EXAMPLE, plan)
    assert actuals.problems == []
    assert actuals.rows == 20
    rd_institutions = actuals.reported("rd_institutions", 2020, 6)
    assert rd_institutions is not None
    assert rd_institutions.regional_sum == Decimal("4")
    assert rd_institutions.regional_count == 3


# --- unknown-target -----------------------------------------------------------------------------


def test_unknown_target_near_miss_suggests_the_id(read_csv: ReadCsv) -> None:
    actuals = read_csv(HEADER + "gdp,2020-06,1,\nhitech_enterprise,2020-06,812,\n")
    problem = only(actuals)
    assert where(problem) == ("unknown-target", 3, 1)
    assert problem.message == (
        "unknown target 'hitech_enterprise'; did you mean 'hitech_enterprises'?"
    )
    assert problem.path == "actuals.csv"
    assert actuals.reported("hitech_enterprises", 2020, 6) is None


@pytest.mark.parametrize("value", ["", "   "])
def test_an_empty_value_is_a_row_not_filled_in(read_csv: ReadCsv, value: str) -> None:
    """A template row left as written (target, period, its note) reports nothing."""
    text = (
        f'target,period,value,note,source\nhitech_enterprises,2020-06,"{value}",高新技术企业数,\n'
    )
    actuals = read_csv(text)
    assert actuals.problems == []
    assert actuals.reported("hitech_enterprises", 2020, 6) is None


def test_an_empty_value_with_its_source_given_is_an_error(read_csv: ReadCsv) -> None:
    text = "target,period,value,note,source\nhitech_enterprises,2020-06,,,统计局快报\n"
    problem = only(read_csv(text))
    assert where(problem) == ("type-error", 2, 3)
    assert problem.message == "empty value"


def test_unknown_target_far_off_points_at_the_targets_command(read_csv: ReadCsv) -> None:
    problem = only(read_csv(HEADER + "zzzz_qqqq,2020-06,1,\n"))
    assert where(problem) == ("unknown-target", 2, 1)
    assert "'zzzz_qqqq'" in problem.message
    assert "did you mean" not in problem.message
    assert "sti-plan targets" in problem.message


def test_unknown_target_column_follows_the_header(read_csv: ReadCsv) -> None:
    problem = only(read_csv("period,value,target\n2020-06,1,hitech_enterprise\n"))
    assert where(problem) == ("unknown-target", 2, 3)


def test_empty_target_cell(read_csv: ReadCsv) -> None:
    problem = only(read_csv(HEADER + ",2020-06,1,\n"))
    assert where(problem) == ("unknown-target", 2, 1)
    assert "missing target" in problem.message


# --- bad-period ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "period", ["2020-13", "2020-Q5", "20-06", "", "2020-H3", "2020年13月", "June"]
)
def test_bad_period(read_csv: ReadCsv, period: str) -> None:
    actuals = read_csv(HEADER + "gdp,2020-06,1,\n" + f"hitech_enterprises,{period},812,\n")
    problem = only(actuals)
    assert where(problem) == ("bad-period", 3, 2)
    assert f"not a period: {period!r}" in problem.message
    assert "2020-H1" in problem.message  # says what a period looks like
    assert actuals.reported("hitech_enterprises", 2020, 6) is None


@pytest.mark.parametrize(
    ("period", "months", "label"),
    [
        ("2020", 12, "2020"),
        ("2020-H1", 6, "2020-H1"),
        ("2020-H2", 12, "2020-H2"),
        ("2020-Q1", 3, "2020-Q1"),
        ("2020-Q3", 9, "2020-Q3"),
        ("2020-01", 1, "2020-01"),
        ("2020-12", 12, "2020-12"),
    ],
)
def test_every_period_form_of_the_readme(
    read_csv: ReadCsv, period: str, months: int, label: str
) -> None:
    actuals = read_csv(HEADER + f"gdp,{period},1,\n")
    assert actuals.problems == []
    reported = actuals.reported("gdp", 2020, months)
    assert reported is not None
    assert reported.label == label


# --- type-error ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("abc", "not a number: 'abc'"),
        ("NaN", "not a finite number: 'NaN'"),
        ("inf", "not a finite number: 'inf'"),
        ("-Infinity", "not a finite number: '-Infinity'"),
        ("1_000", "not a number: '1_000'"),
        ("1,00", "not a number: '1,00'"),
        ("12.3.4", "not a number: '12.3.4'"),
    ],
)
def test_type_error(read_csv: ReadCsv, value: str, message: str) -> None:
    actuals = read_csv(HEADER + "gdp,2020-06,1,\n" + f'hitech_enterprises,2020-06,"{value}",\n')
    problem = only(actuals)
    assert where(problem) == ("type-error", 3, 3)
    assert problem.message == message
    assert actuals.reported("hitech_enterprises", 2020, 6) is None


@pytest.mark.parametrize(("value", "expected"), [("-4.6", "-4.6"), ("+5", "5"), ("0", "0")])
def test_signed_and_zero_values_are_numbers(read_csv: ReadCsv, value: str, expected: str) -> None:
    actuals = read_csv(HEADER + f"hitech_value_added_growth,2020-Q1,{value},\n")
    assert actuals.problems == []
    reported = actuals.reported("hitech_value_added_growth", 2020, 3)
    assert reported is not None
    assert reported.city == Decimal(expected)


# --- duplicate-row ------------------------------------------------------------------------------


def test_duplicate_row_same_period_twice(read_csv: ReadCsv) -> None:
    actuals = read_csv(
        HEADER
        + "hitech_enterprises,2020-06,812,\ngdp,2020-06,1,\nhitech_enterprises,2020-06,999,\n"
    )
    problem = only(actuals)
    assert (problem.code, problem.line) == ("duplicate-row", 4)
    assert problem.message == (
        "hitech_enterprises for the whole city in 2020-06 is already given at line 2"
    )
    reported = actuals.reported("hitech_enterprises", 2020, 6)
    assert reported is not None
    assert reported.city == Decimal("812")  # the first row stands


def test_duplicate_row_through_an_alias(read_csv: ReadCsv) -> None:
    problem = only(read_csv(HEADER + "hitech_enterprises,2020-06,812,\n高企,2020-06,812,\n"))
    assert (problem.code, problem.line) == ("duplicate-row", 3)
    assert "already given at line 2" in problem.message


def test_duplicate_row_quarter_and_month_run_to_the_same_month(read_csv: ReadCsv) -> None:
    problem = only(
        read_csv(HEADER + "hitech_enterprises,2020-Q2,812,\nhitech_enterprises,2020-06,813,\n")
    )
    assert (problem.code, problem.line) == ("duplicate-row", 3)
    assert "already given at line 2 as 2020-Q2" in problem.message
    assert "both run to month 6" in problem.message
    assert "year-to-date" in problem.message


def test_duplicate_row_full_year_forms(read_csv: ReadCsv) -> None:
    problem = only(read_csv(HEADER + "gdp,2020,5000,\ngdp,2020-H2,5001,\n"))
    assert (problem.code, problem.line) == ("duplicate-row", 3)
    assert "as 2020" in problem.message
    assert "both run to the year" in problem.message


def test_duplicate_row_in_one_region(read_csv: ReadCsv) -> None:
    actuals = read_csv(
        HEADER + "rd_institutions,2020-06,1,镜湖区\nrd_institutions,2020-H1,2,镜湖区\n"
    )
    problem = only(actuals)
    assert (problem.code, problem.line) == ("duplicate-row", 3)
    assert "region '镜湖区'" in problem.message
    reported = actuals.reported("rd_institutions", 2020, 6)
    assert reported is not None
    assert reported.regional_sum == Decimal("1")


def test_same_period_in_two_regions_is_not_a_duplicate(read_csv: ReadCsv) -> None:
    actuals = read_csv(
        HEADER + "rd_institutions,2020-06,1,镜湖区\nrd_institutions,2020-06,2,弋江区\n"
    )
    assert actuals.problems == []
    assert actuals.rows == 2


def test_same_target_in_different_periods_is_not_a_duplicate(read_csv: ReadCsv) -> None:
    actuals = read_csv(HEADER + "gdp,2020-03,1,\ngdp,2020-06,2,\ngdp,2019-06,3,\n")
    assert actuals.problems == []


# --- header problems ----------------------------------------------------------------------------


def test_missing_column(read_csv: ReadCsv) -> None:
    actuals = read_csv("target,period,region\nhitech_enterprises,2020-06,\n")
    problem = only(actuals)
    assert (problem.code, problem.line) == ("missing-column", 1)
    assert problem.message == "missing required column 'value' (or 数值/完成值/实际值)"
    assert actuals.rows == 0
    assert actuals.values == {}


def test_every_missing_column_is_reported(read_csv: ReadCsv) -> None:
    actuals = read_csv("region,note\n")
    assert [(p.code, p.line) for p in actuals.problems] == [("missing-column", 1)] * 3
    assert [p.message for p in actuals.problems] == [
        "missing required column 'target' (or 指标/目标/指标名称)",
        # A period column may be left out where the title gives the period (2020年1-6月…).
        "missing required column 'period' (or 期间/时期/统计期/月份), or a period in the title "
        "(2020年1-6月…)",
        "missing required column 'value' (or 数值/完成值/实际值)",
    ]


def test_extra_column_is_a_warning_and_ignored(read_csv: ReadCsv) -> None:
    actuals = read_csv("target,period,value,checked\nhitech_enterprises,2020-06,812,张三\n")
    problem = only(actuals)
    assert where(problem) == ("extra-column", 1, 4)
    assert problem.severity == "warning"
    assert "unknown column 'checked'" in problem.message
    assert "target, period, value, region, note, source, unit" in problem.message
    assert actuals.rows == 1  # the rows are still read
    reported = actuals.reported("hitech_enterprises", 2020, 6)
    assert reported is not None
    assert reported.city == Decimal(812)


def test_unnamed_column_with_content_is_an_extra_column(read_csv: ReadCsv) -> None:
    problem = only(read_csv("target,period,value,,source\ngdp,2020-06,1,,\n"))
    assert where(problem) == ("extra-column", 1, 4)
    assert "no name" in problem.message


def test_trailing_unnamed_empty_columns_are_fine(read_csv: ReadCsv) -> None:
    actuals = read_csv("target,period,value,,\nhitech_enterprises,2020-06,812,,\n")
    assert actuals.problems == []
    assert actuals.rows == 1


def test_duplicate_column(read_csv: ReadCsv) -> None:
    problem = only(read_csv("target,period,value,period\ngdp,2020-06,1,2020-06\n"))
    assert where(problem) == ("duplicate-column", 1, 4)
    assert problem.message == "column 'period' appears twice"


def test_duplicate_column_despite_spaces(read_csv: ReadCsv) -> None:
    problem = only(read_csv("target,value,period, value \ngdp,1,2020-06,1\n"))
    assert where(problem) == ("duplicate-column", 1, 4)
    assert "'value'" in problem.message


def test_header_problem_is_on_the_header_line_after_blank_lines(read_csv: ReadCsv) -> None:
    actuals = read_csv("\n\ntarget,period,value,checked\nhitech_enterprises,2020-06,812,家\n")
    assert actuals.rows == 1
    assert [where(p) for p in actuals.problems] == [("extra-column", 3, 4)]


# --- cell count problems ------------------------------------------------------------------------


def test_missing_cell(read_csv: ReadCsv) -> None:
    actuals = read_csv("target,period,value\ngdp,2020-06,1\nhitech_enterprises,2020-06\n")
    problem = only(actuals)
    assert where(problem) == ("missing-cell", 3, 3)
    assert problem.message == "row has 2 cells; target, period and value need 3"
    assert actuals.rows == 1
    assert actuals.reported("hitech_enterprises", 2020, 6) is None


def test_row_without_trailing_optional_cells_is_read(read_csv: ReadCsv) -> None:
    actuals = read_csv(HEADER + "hitech_enterprises,2020-06,812\n")
    assert actuals.problems == []
    reported = actuals.reported("hitech_enterprises", 2020, 6)
    assert reported is not None
    assert reported.city == Decimal("812")


def test_row_without_trailing_note_and_source_is_read(read_csv: ReadCsv) -> None:
    actuals = read_csv("target,period,value,region,note,source\ngdp,2020-06,1,镜湖区\n")
    assert actuals.problems == []
    assert actuals.rows == 1


def test_extra_cell(read_csv: ReadCsv) -> None:
    actuals = read_csv(HEADER + "gdp,2020-06,1,\nhitech_enterprises,2020-06,812,,surprise\n")
    problem = only(actuals)
    assert where(problem) == ("extra-cell", 3, 5)
    assert problem.message == "row has 5 cells, the header 4"
    assert actuals.rows == 1
    assert actuals.reported("hitech_enterprises", 2020, 6) is None


def test_empty_trailing_cells_are_fine(read_csv: ReadCsv) -> None:
    actuals = read_csv(HEADER + "hitech_enterprises,2020-06,812,,\ngdp,2020-06,1,,, ,\n")
    assert actuals.problems == []
    assert actuals.rows == 2


# --- empty-file ---------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "\n", "\n\n\n", "\r\n  \r\n", ",,,\n\n"])
def test_empty_file(read_csv: ReadCsv, text: str) -> None:
    actuals = read_csv(text)
    problem = only(actuals)
    assert (problem.code, problem.line) == ("empty-file", 1)
    assert "empty" in problem.message
    assert actuals.rows == 0


@pytest.mark.parametrize("text", [HEADER, HEADER + "\n,,,\n  \n"])
def test_header_only_is_a_warning_not_an_empty_file(read_csv: ReadCsv, text: str) -> None:
    problem = only(read_csv(text))
    assert (problem.code, problem.line, problem.severity) == ("header-only", 1, "warning")
    assert problem.message == "the file has a header and no rows: nothing is reported"


def test_empty_file_on_disk(write: Write, plan: Plan) -> None:
    problem = only(load_actuals(write("actuals.csv", b""), plan))
    assert (problem.code, problem.line) == ("empty-file", 1)


# --- encoding-error -----------------------------------------------------------------------------

NOT_UTF8_ON_LINE_3 = (
    b"target,period,value\n" + b"hitech_enterprises,2020-06,812\n" + b"gdp,2020-06,\xff12\n"
)


def test_encoding_error(write: Write, plan: Plan) -> None:
    actuals = load_actuals(write("actuals.csv", NOT_UTF8_ON_LINE_3), plan)
    problem = only(actuals)
    assert problem.code == "encoding-error"
    assert "UTF-8" in problem.message
    assert "0xff" in problem.message


def test_gbk_file_is_read_as_gb18030(write: Write, plan: Plan) -> None:
    content = (HEADER + "高企,2020-06,812,\n").encode("gbk")
    actuals = load_actuals(write("actuals.csv", content), plan)
    assert actuals.problems == []
    assert actuals.encoding == "gb18030"
    reported = actuals.reported("hitech_enterprises", 2020, 6)
    assert reported is not None and reported.city == Decimal(812)


def test_encoding_error_is_on_the_line_of_the_bad_byte(write: Write, plan: Plan) -> None:
    problem = only(load_actuals(write("actuals.csv", NOT_UTF8_ON_LINE_3), plan))
    assert (problem.code, problem.line) == ("encoding-error", 3)


def test_encoding_error_line_is_counted_across_chunks(write: Write, free_plan: Plan) -> None:
    rows = 60_000  # more than a megabyte: the file is decoded in several chunks
    body = "".join(f"gdp,2020-06,1,r{i}\n" for i in range(rows)).encode("utf-8")
    # 0x80 is text in neither UTF-8 nor GB18030: the file stays UTF-8 with one bad byte.
    content = HEADER.encode("utf-8") + body + b"gdp,2020-07,\x80,\n"
    assert len(content) > 1 << 20
    problem = only(load_actuals(write("actuals.csv", content), free_plan))
    assert (problem.code, problem.line) == ("encoding-error", rows + 2)


def test_problems_before_an_encoding_error_come_first(write: Write, free_plan: Plan) -> None:
    rows = "".join(f"gdp,2020-06,{i},r{i}\n" for i in range(3000))
    content = (HEADER + "gpd,2020-06,1,x\n" + rows).encode("utf-8")
    content = content[:9000] + b"\xff" + content[9000:]  # well after the first read ahead
    actuals = load_actuals(write("actuals.csv", content), free_plan)
    assert [p.code for p in actuals.problems] == ["unknown-target", "encoding-error"]
    assert actuals.problems[0].line == 2
    first = load_actuals(write("actuals.csv", content), free_plan, max_problems=1)
    assert [where(p) for p in first.problems] == [("unknown-target", 2, 1)]
    assert first.problem_count == 2


def test_a_record_cut_short_by_a_bad_byte_is_read_whole(write: Write, free_plan: Plan) -> None:
    # Lines 3-4 are one record (a quote opened on line 3 and never closed) when the
    # decoder stops at the bad byte: it is read, whole, not lost from its first line.
    text = HEADER + "高企,2020-Q1,3,t\n" + '"\ngdp,2020-01,1,town-1\n'
    path = write("actuals.csv", text.encode("gb18030") + b"\xff")
    actuals = load_actuals(path, free_plan)
    assert actuals.rows == 1
    assert [where(p) for p in actuals.problems] == [
        ("missing-cell", 4, 2),
        ("encoding-error", 5, None),
    ]


def test_rows_before_an_encoding_error_are_read(write: Write, plan: Plan) -> None:
    actuals = load_actuals(write("actuals.csv", NOT_UTF8_ON_LINE_3), plan)
    assert actuals.rows >= 1
    assert actuals.reported("hitech_enterprises", 2020, 6) is not None


# --- malformed-csv ------------------------------------------------------------------------------


def test_malformed_csv_field_over_the_size_limit(read_csv: ReadCsv) -> None:
    huge = "1" * (128 * 1024 + 1)
    actuals = read_csv(HEADER + "gdp,2020-06,1,\n" + f'hitech_enterprises,2020-06,"{huge}",\n')
    problem = only(actuals)
    assert (problem.code, problem.line) == ("malformed-csv", 3)
    assert "cannot parse the CSV" in problem.message
    assert "field limit" in problem.message
    assert actuals.reported("gdp", 2020, 6) is not None  # rows before it are kept


def test_malformed_csv_unquoted_field_over_the_size_limit(read_csv: ReadCsv) -> None:
    huge = "1" * (128 * 1024 + 1)
    actuals = read_csv(HEADER + "gdp,2020-06,1,镜湖区\n" + f"gdp,2020-07,{huge},镜湖区\n")
    problem = only(actuals)
    assert (problem.code, problem.line) == ("malformed-csv", 3)
    assert actuals.reported("gdp", 2020, 6) is not None


# --- quoted fields -------------------------------------------------------------------------------


def test_a_file_quoted_throughout_is_read(read_csv: ReadCsv) -> None:
    rows = [
        'gdp,2020-01,1,"镜湖区"',
        'gdp,2020-02,2,"弋江区"',
        "gdp,2020-03,3,南陵县",
        "gdp,2020-04,4,",
    ]
    actuals = read_csv(HEADER + "\n".join(rows) + "\n")
    assert actuals.problems == []
    assert actuals.rows == 4


def test_a_quoted_field_over_two_lines_is_one_record(read_csv: ReadCsv, free_plan: Plan) -> None:
    text = HEADER + 'gdp,2020-01,1,"town\n1"\ngdp,2020-02,2,town-2\ngdp,2020-02,3,town-2\n'
    actuals = read_csv(text, free_plan)
    assert [where(p) for p in actuals.problems] == [("duplicate-row", 5, None)]
    assert "line 4" in actuals.problems[0].message
    reported = actuals.reported("gdp", 2020, 1)
    assert reported is not None
    # A record's line is the one it ends on; a region's name is compared without its spaces.
    assert reported.regions == {"town1": 3}


def test_a_quoted_field_over_blank_lines_is_one_record(read_csv: ReadCsv, free_plan: Plan) -> None:
    text = HEADER + 'gdp,2020-01,1,"town\n\n1"\ngdp,2020-02,2,town-2\n'
    actuals = read_csv(text, free_plan)
    assert actuals.problems == []
    assert actuals.rows == 2
    reported = actuals.reported("gdp", 2020, 2)
    assert reported is not None
    assert reported.regions == {"town-2": 5}


# --- all problems are collected -----------------------------------------------------------------


def test_every_bad_row_is_reported_and_good_rows_are_read(read_csv: ReadCsv) -> None:
    actuals = read_csv(
        HEADER
        + "hitech_enterprises,2020-06,812,\n"  # 2 good
        + "hitech_enterprise,2020-06,812,\n"  # 3 unknown target
        + "gdp,2020-13,1708.9,\n"  # 4 bad period
        + "key_projects,2020-06,32,\n"  # 5 good
        + "rd_expenditure,2020-06,lots,\n"  # 6 bad value
        + "rd_institutions,2020-06,1,镜湖区\n"  # 7 good
    )
    assert [where(p) for p in actuals.problems] == [
        ("unknown-target", 3, 1),
        ("bad-period", 4, 2),
        ("type-error", 6, 3),
    ]
    for measure_id in ("hitech_enterprises", "key_projects", "rd_institutions"):
        assert actuals.reported(measure_id, 2020, 6) is not None
    assert actuals.reported("gdp", 2020, 6) is None
    assert actuals.reported("rd_expenditure", 2020, 6) is None


def test_one_row_with_every_cell_wrong_gives_one_problem_per_cell(read_csv: ReadCsv) -> None:
    actuals = read_csv(HEADER + "nope,2020-Q9,NaN,\n")
    assert [where(p) for p in actuals.problems] == [
        ("unknown-target", 2, 1),
        ("bad-period", 2, 2),
        ("type-error", 2, 3),
    ]
    assert actuals.values == {}


def test_a_long_row_and_a_short_row_do_not_make_up_for_each_other(read_csv: ReadCsv) -> None:
    # Two regional rows with 4 + 4 cells in all, 5 and 3 each: both wrong, neither read.
    actuals = read_csv(
        "target,period,value,region\n"
        "tech_smes,2020-06,5,镜湖区,x\n"
        "tech_smes,2020-06,6\n"
        "tech_smes,2020-06,7,弋江区\n"
    )
    assert [where(p) for p in actuals.problems] == [("extra-cell", 2, 5)]
    assert actuals.rows == 2
    reported = actuals.reported("tech_smes", 2020, 6)
    assert reported is not None
    assert (reported.city, reported.regional_sum) == (Decimal(6), Decimal(7))
    assert reported.regions == {"": 3, "yijiang": 4}


def test_header_and_row_problems_together(read_csv: ReadCsv) -> None:
    actuals = read_csv(
        "target,period,value,checked\n"
        "hitech_enterprises,2020-06,812,家\n"
        "gdp,2020-06\n"
        "gdp,2020-06,1,亿元,extra\n"
        "hitech_enterprises,2020-Q2,812,家\n"
    )
    assert [where(p) for p in actuals.problems] == [
        ("extra-column", 1, 4),
        ("missing-cell", 3, 3),
        ("extra-cell", 4, 5),
        ("duplicate-row", 5, None),
    ]


# --- unreadable files ---------------------------------------------------------------------------


def test_missing_path_is_a_usage_error(tmp_path: Path, plan: Plan) -> None:
    path = tmp_path / "nowhere.csv"
    with pytest.raises(StiPlanError, match="no such file") as caught:
        load_actuals(path, plan)
    assert str(path) in str(caught.value)
    assert caught.value.exit_code == 2


def test_directory_is_a_usage_error(tmp_path: Path, plan: Plan) -> None:
    with pytest.raises(StiPlanError, match="directory") as caught:
        load_actuals(tmp_path, plan)
    assert caught.value.exit_code == 2


@pytest.mark.parametrize("value", ["²", "①", "1²", "³.5"])
def test_digit_like_symbols_are_not_numbers(read_csv: ReadCsv, value: str) -> None:
    problem = only(read_csv(HEADER + f"hitech_enterprises,2020-06,{value},\n"))
    assert (problem.code, problem.message) == ("type-error", f"not a number: {value!r}")


def test_an_unknown_target_is_one_problem_whatever_its_unit(read_csv: ReadCsv) -> None:
    problem = only(read_csv(HEADER + "nosuch,2020-06,812家,\n"))
    assert problem.code == "unknown-target"


def test_the_period_label_comes_from_the_first_row_kept(read_csv: ReadCsv) -> None:
    actuals = read_csv(
        HEADER
        + "hitech_enterprises,2020-Q2,abc,\n"  # refused: its label is not kept
        + "hitech_enterprises,2020-06,812,\n"
        + "hitech_enterprises,2020-06,813,\n"
    )
    reported = actuals.reported("hitech_enterprises", 2020, 6)
    assert reported is not None and reported.label == "2020-06"
    assert actuals.problems[-1].message == (
        "hitech_enterprises for the whole city in 2020-06 is already given at line 3"
    )


def test_an_open_quote_is_pointed_out(read_csv: ReadCsv) -> None:
    actuals = read_csv(
        "target,period,value\n"
        'key_projects,2020-06,"12\n'  # line 2: the quote is never closed
        "incubators,2020-06,3\n"
        "talent_teams,2020-06,4\n"
    )
    [problem] = actuals.problems
    assert (problem.code, problem.line) == ("type-error", 4)
    assert problem.message.endswith(
        "(a quoted cell runs from line 2 to 4: is a closing quote missing?)"
    )
