from __future__ import annotations

from fractions import Fraction

import pytest

from sti_plan.periods import Period, full_year, parse_period, why_not_a_period


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("2020", 12),
        ("2020-H1", 6),
        ("2020-H2", 12),
        ("2020-Q1", 3),
        ("2020-Q2", 6),
        ("2020-Q3", 9),
        ("2020-Q4", 12),
        ("2020-01", 1),
        ("2020-06", 6),
        ("2020-12", 12),
        (" 2020-05 ", 5),
    ],
)
def test_periods_cover_months_from_january(text: str, months: int) -> None:
    period = parse_period(text)
    assert period is not None
    assert (period.year, period.months) == (2020, months)
    assert period.elapsed_fraction == Fraction(months, 12)


@pytest.mark.parametrize(
    ("text", "months", "code"),
    [
        ("2020-6", 6, "2020-06"),
        ("2020/06", 6, "2020-06"),
        ("2020.6", 6, "2020-06"),
        ("202006", 6, "2020-06"),
        ("2020Q3", 9, "2020-Q3"),
        ("2020-h1", 6, "2020-H1"),
        ("2020年", 12, "2020"),
        ("2020年全年", 12, "2020"),
        ("2020年度", 12, "2020"),
        ("2020年上半年", 6, "2020-H1"),
        ("2020年下半年", 12, "2020-H2"),
        ("2020年一季度", 3, "2020-Q1"),
        ("2020年第二季度", 6, "2020-Q2"),
        ("2020年第3季度", 9, "2020-Q3"),
        ("2020年Q3", 9, "2020-Q3"),
        ("2020年前三季度", 9, "2020-Q3"),
        ("2020年6月", 6, "2020-06"),
        ("2020年6月份", 6, "2020-06"),
        ("2020年1-6月", 6, "2020-06"),
        ("2020年1—6月", 6, "2020-06"),
        ("2020年1～6月", 6, "2020-06"),
        ("2020年1月-6月", 6, "2020-06"),
        ("2020年1至11月", 11, "2020-11"),
        (" 2020 年 1 - 6 月 ", 6, "2020-06"),
        ("２０２０年１－６月", 6, "2020-06"),
        # Levels at a date, as stock figures are written: the month the date falls in.
        ("2020年末", 12, "2020"),
        ("2020年底", 12, "2020"),
        ("2020年12月末", 12, "2020-12"),
        ("2020年6月末", 6, "2020-06"),
        ("2020年6月底", 6, "2020-06"),
        ("2020年6月30日", 6, "2020-06"),
        ("2020-06-30", 6, "2020-06"),
        ("2020/6/30", 6, "2020-06"),
        ("2020-02-29", 2, "2020-02"),
    ],
)
def test_chinese_and_loose_forms(text: str, months: int, code: str) -> None:
    period = parse_period(text)
    assert period is not None
    assert (period.year, period.months, period.code) == (2020, months, code)


def test_a_range_not_from_january_says_why() -> None:
    assert why_not_a_period("2020年3-6月") == (
        "not a period: '2020年3-6月' (a range must start in January: values are year-to-date)"
    )
    assert why_not_a_period("soon").startswith("not a period: 'soon' (use 2020, 2020-H1")


def test_periods_ending_in_the_same_month_are_equal_but_keep_their_code() -> None:
    q2, h1, june = parse_period("2020-Q2"), parse_period("2020-H1"), parse_period("2020-06")
    assert q2 == h1 == june
    assert q2 is not None and h1 is not None
    assert (q2.code, h1.code) == ("2020-Q2", "2020-H1")
    assert q2.elapsed_fraction == Fraction(1, 2)


def test_full_year_forms_all_mean_f_equals_one() -> None:
    forms = [parse_period(text) for text in ("2020", "2020-H2", "2020-Q4", "2020-12")]
    assert all(p is not None and p.is_full_year and p.elapsed_fraction == 1 for p in forms)
    assert full_year(2020) == forms[0]


def test_periods_order_by_year_then_month() -> None:
    periods = [parse_period(t) for t in ("2020-Q3", "2019", "2020-01", "2020-H1")]
    assert [str(p) for p in sorted(p for p in periods if p)] == [
        "2019",
        "2020-01",
        "2020-H1",
        "2020-Q3",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "2020-13",
        "2020-00",
        "2020-Q0",
        "2020-Q5",
        "2020-H3",
        "20-06",
        "Q2",
        "20200",
        "2020年13月",
        "2020年第五季度",
        "2020年3-6月",
        "二〇二〇年",
        "mid-2020",
        "2020-06-32",
        "2020-02-30",  # February has 29 days in 2020
        "2021-02-29",
        "2020年6月31日",
        "2020-13-01",
        "2020年6月0日",
        "2020年6月末底",
    ],
)
def test_other_text_is_not_a_period(text: str) -> None:
    assert parse_period(text) is None


def test_same_period_of_previous_year() -> None:
    period = Period(2020, 6, "2020-Q2")
    assert period.same_period_of(2019) == Period(2019, 6)
    assert period.month_code == "2020-06"
