"""The status table at the widths people's terminals have, in both languages: pinned exactly.

Widths are counted in terminal cells (a CJK character takes two). The layout rules (README,
"The table at any width"): the first of these that fits: every full name with the ids and
an 8-cell bar; without the ids; a row's short name (the plan's short_name) where its full
name does not fit; a 5-cell bar; one space between columns; a 4-cell bar; then the bar, the
expected value, the gap, the goal and the period given up in that order. A period that
every figure shares is said by the title. No line ends in a space.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from sti_plan import i18n
from sti_plan.cli import app
from sti_plan.render.tables import STATUS_DROPS

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
EXAMPLE = EXAMPLES / "actuals-2020-h1.csv"
DISTRICTS = EXAMPLES / "districts-2020-h1.csv"
SHARES = EXAMPLES / "allocations-2020.csv"
WIDTHS = (60, 80, 100, 140)


@pytest.fixture(autouse=True)
def _english_after() -> Iterator[None]:
    yield
    i18n.use(i18n.Language.EN)


# 140: full names and ids; 100: the ids go; 80: short names where a full one does not fit,
# a 5-cell bar (87 % of 5 cells: 4); 60: no bar, no expected value, one space apart.
EN_60 = [
    "市科学技术局2020年工作要点 · as of 2020-06",
    "Target            Goal   Actual      Gap Progress Status",
    "───────────────────────────────────────────────────────────",
    "高新产业增速     ≥ 10%     8.7%   1.3 pp      87% off track",
    "科技中小企业 > 1,000家  1,036家    -36家   112.1% achieved",
    "高新技术企业   > 900家    812家     88家    23.5% off track",
    "重点科技项目    ≥ 60个     32个     28个    53.3% on track",
    "重点项目资金   ≥ 1亿元 0.46亿元 0.54亿元      46% at risk",
    "科技人才团队    ≥ 30个     12个     18个      40% off track",
    "省级研发机构     ≥ 7家    4家 Σ      3家    57.1% on track",
    "孵化载体         ≥ 3家      0家      3家       0% off track",
    "研发投入强度    ≥ 3.1%  2.61% ƒ  0.49 pp    84.2% off track",
    "产学研对接      ≥ 30次     14次     16次    46.7% at risk",
    "技术合同增长     ≥ 15%  14.1% ƒ   0.9 pp      94% at risk",
    "登记科技成果 ≥ 1,000件    430件    570件      43% off track",
    "研发经费投入 > 100亿元 44.6亿元 55.4亿元    44.6% off track",
    "13 targets, as of 2020-06: 1 achieved, 2 on track,",
    "3 at risk, 7 off track, 0 missed, 0 no data",
    "Σ = sum of regional rows, ƒ = derived by the plan's formula",
]
EN_80 = [
    "市科学技术局2020年工作要点 · as of 2020-06",
    "Target             Goal    Actual  Expected       Gap  Progress      Status",
    "──────────────────────────────────────────────────────────────────────────────",
    "高新产业增速      ≥ 10%      8.7%       10%    1.3 pp  ████░    87%  off track",
    "科技中小企业  > 1,000家   1,036家     851家     -36家  █████ 112.1%  achieved",
    "高新技术企业    > 900家     812家   842.5家      88家  █░░░░  23.5%  off track",
    "重点科技项目     ≥ 60个      32个      30个      28个  ██░░░  53.3%  on track",
    "重点项目资金    ≥ 1亿元  0.46亿元   0.5亿元  0.54亿元  ██░░░    46%  at risk",
    "科技人才团队     ≥ 30个      12个      15个      18个  ██░░░    40%  off track",
    "省级研发机构      ≥ 7家     4家 Σ     3.5家       3家  ██░░░  57.1%  on track",
    "孵化载体          ≥ 3家       0家     1.5家       3家  ░░░░░     0%  off track",
    "研发投入强度     ≥ 3.1%   2.61% ƒ      3.1%   0.49 pp  ████░  84.2%  off track",
    "产学研对接       ≥ 30次      14次      15次      16次  ██░░░  46.7%  at risk",
    "技术合同增长      ≥ 15%   14.1% ƒ       15%    0.9 pp  ████░    94%  at risk",
    "登记科技成果  ≥ 1,000件     430件     500件     570件  ██░░░    43%  off track",
    "研发经费投入  > 100亿元  44.6亿元    50亿元  55.4亿元  ██░░░  44.6%  off track",
    "13 targets, as of 2020-06: 1 achieved, 2 on track, 3 at risk, 7 off track,",
    "0 missed, 0 no data",
    "Σ = sum of regional rows, ƒ = derived by the plan's formula",
]
EN_100 = [
    "市科学技术局2020年工作要点 · as of 2020-06",
    "Target                           Goal    Actual  Expected       Gap  Progress         Status",
    "───────────────────────────────────────────────────────────────────────────────────────────────",
    "高新技术产业增加值增长          ≥ 10%      8.7%       10%    1.3 pp  ██████░░    87%  off track",
    "国家科技型中小企业          > 1,000家   1,036家     851家     -36家  ████████ 112.1%  achieved",
    "高新技术企业                  > 900家     812家   842.5家      88家  █░░░░░░░  23.5%  off track",
    "国家和省级重点科技项目         ≥ 60个      32个      30个      28个  ████░░░░  53.3%  on track",
    "国家和省级重点科技项目资金    ≥ 1亿元  0.46亿元   0.5亿元  0.54亿元  ███░░░░░    46%  at risk",
    "高层次科技人才团队             ≥ 30个      12个      15个      18个  ███░░░░░    40%  off track",
    "省级以上科技研发机构            ≥ 7家     4家 Σ     3.5家       3家  ████░░░░  57.1%  on track",
    "科技企业孵化器、众创空间        ≥ 3家       0家     1.5家       3家  ░░░░░░░░     0%  off track",
    "R&D支出占GDP比重               ≥ 3.1%   2.61% ƒ      3.1%   0.49 pp  ██████░░  84.2%  off track",
    "产学研合作对接活动             ≥ 30次      14次      15次      16次  ███░░░░░  46.7%  at risk",
    "企业吸纳技术合同成交额增长      ≥ 15%   14.1% ƒ       15%    0.9 pp  ███████░    94%  at risk",
    "登记科技成果                ≥ 1,000件     430件     500件     570件  ███░░░░░    43%  off track",
    "研发经费投入                > 100亿元  44.6亿元    50亿元  55.4亿元  ███░░░░░  44.6%  off track",
    "13 targets, as of 2020-06: 1 achieved, 2 on track, 3 at risk, 7 off track, 0 missed, 0 no data",
    "Σ = sum of regional rows, ƒ = derived by the plan's formula",
]
EN_140 = [
    "市科学技术局2020年工作要点 · as of 2020-06",
    "Target                      ID                              Goal    Actual  Expected       Gap  Progress         Status",
    "──────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────",
    "高新技术产业增加值增长      hitech_value_added_growth      ≥ 10%      8.7%       10%    1.3 pp  ██████░░    87%  off track",
    "国家科技型中小企业          tech_smes                  > 1,000家   1,036家     851家     -36家  ████████ 112.1%  achieved",
    "高新技术企业                hitech_enterprises           > 900家     812家   842.5家      88家  █░░░░░░░  23.5%  off track",
    "国家和省级重点科技项目      key_projects                  ≥ 60个      32个      30个      28个  ████░░░░  53.3%  on track",
    "国家和省级重点科技项目资金  key_project_funding          ≥ 1亿元  0.46亿元   0.5亿元  0.54亿元  ███░░░░░    46%  at risk",
    "高层次科技人才团队          talent_teams                  ≥ 30个      12个      15个      18个  ███░░░░░    40%  off track",
    "省级以上科技研发机构        rd_institutions                ≥ 7家     4家 Σ     3.5家       3家  ████░░░░  57.1%  on track",
    "科技企业孵化器、众创空间    incubators                     ≥ 3家       0家     1.5家       3家  ░░░░░░░░     0%  off track",
    "R&D支出占GDP比重            rd_ratio                      ≥ 3.1%   2.61% ƒ      3.1%   0.49 pp  ██████░░  84.2%  off track",
    "产学研合作对接活动          matchmaking_events            ≥ 30次      14次      15次      16次  ███░░░░░  46.7%  at risk",
    "企业吸纳技术合同成交额增长  tech_contract_growth           ≥ 15%   14.1% ƒ       15%    0.9 pp  ███████░    94%  at risk",
    "登记科技成果                registered_achievements    ≥ 1,000件     430件     500件     570件  ███░░░░░    43%  off track",
    "研发经费投入                rd_expenditure             > 100亿元  44.6亿元    50亿元  55.4亿元  ███░░░░░  44.6%  off track",
    "13 targets, as of 2020-06: 1 achieved, 2 on track, 3 at risk, 7 off track, 0 missed, 0 no data",
    "Σ = sum of regional rows, ƒ = derived by the plan's formula",
]
ZH_60 = [
    "市科学技术局2020年工作要点 · 截至2020-06",
    "指标                目标值    完成值  完成率  状态",
    "────────────────────────────────────────────────────────────",
    "高新产业增速          ≥10%      8.7%     87%  滞后",
    "科技中小企业      >1,000家   1,036家  112.1%  已完成",
    "高新技术企业        >900家     812家   23.5%  滞后",
    "重点科技项目         ≥60个      32个   53.3%  达到序时进度",
    "重点项目资金        ≥1亿元  0.46亿元     46%  略低于序时进度",
    "科技人才团队         ≥30个      12个     40%  滞后",
    "省级研发机构          ≥7家     4家 Σ   57.1%  达到序时进度",
    "孵化载体              ≥3家       0家      0%  滞后",
    "R&D支出占GDP比重     ≥3.1%   2.61% ƒ   84.2%  滞后",
    "产学研对接           ≥30次      14次   46.7%  略低于序时进度",
    "技术合同增长          ≥15%   14.1% ƒ     94%  略低于序时进度",
    "登记科技成果      ≥1,000件     430件     43%  滞后",
    "研发经费投入      >100亿元  44.6亿元   44.6%  滞后",
    "共13项目标，截至2020-06：已完成1项，达到序时进度2项，",
    "略低于序时进度3项，滞后7项，未完成0项，未报送0项",
    "Σ = 各地区合计，ƒ = 按计划公式推算",
]
ZH_80 = [
    "市科学技术局2020年工作要点 · 截至2020-06",
    "指标           目标值   完成值 序时目标         差距 完成率       状态",
    "────────────────────────────────────────────────────────────────────────────────",
    "高新产业增速     ≥10%     8.7%      10%  1.3个百分点 ████░    87% 滞后",
    "科技中小企业 >1,000家  1,036家    851家        -36家 █████ 112.1% 已完成",
    "高新技术企业   >900家    812家  842.5家         88家 █░░░░  23.5% 滞后",
    "重点科技项目    ≥60个     32个     30个         28个 ██░░░  53.3% 达到序时进度",
    "重点项目资金   ≥1亿元 0.46亿元  0.5亿元     0.54亿元 ██░░░    46% 略低于序时进度",
    "科技人才团队    ≥30个     12个     15个         18个 ██░░░    40% 滞后",
    "省级研发机构     ≥7家    4家 Σ    3.5家          3家 ██░░░  57.1% 达到序时进度",
    "孵化载体         ≥3家      0家    1.5家          3家 ░░░░░     0% 滞后",
    "研发投入强度    ≥3.1%  2.61% ƒ     3.1% 0.49个百分点 ████░  84.2% 滞后",
    "产学研对接      ≥30次     14次     15次         16次 ██░░░  46.7% 略低于序时进度",
    "技术合同增长     ≥15%  14.1% ƒ      15%  0.9个百分点 ████░    94% 略低于序时进度",
    "登记科技成果 ≥1,000件    430件    500件        570件 ██░░░    43% 滞后",
    "研发经费投入 >100亿元 44.6亿元   50亿元     55.4亿元 ██░░░  44.6% 滞后",
    "共13项目标，截至2020-06：已完成1项，达到序时进度2项，略低于序时进度3项，",
    "滞后7项，未完成0项，未报送0项",
    "Σ = 各地区合计，ƒ = 按计划公式推算",
]
ZH_100 = [
    "市科学技术局2020年工作要点 · 截至2020-06",
    "指标                      目标值    完成值  序时目标          差距  完成率           状态",
    "───────────────────────────────────────────────────────────────────────────────────────────────────",
    "高新技术产业增加值增长      ≥10%      8.7%       10%   1.3个百分点  ██████░░    87%  滞后",
    "国家科技型中小企业      >1,000家   1,036家     851家         -36家  ████████ 112.1%  已完成",
    "高新技术企业              >900家     812家   842.5家          88家  █░░░░░░░  23.5%  滞后",
    "国家和省级重点科技项目     ≥60个      32个      30个          28个  ████░░░░  53.3%  达到序时进度",
    "重点项目资金              ≥1亿元  0.46亿元   0.5亿元      0.54亿元  ███░░░░░    46%  略低于序时进度",
    "高层次科技人才团队         ≥30个      12个      15个          18个  ███░░░░░    40%  滞后",
    "省级以上科技研发机构        ≥7家     4家 Σ     3.5家           3家  ████░░░░  57.1%  达到序时进度",
    "孵化载体                    ≥3家       0家     1.5家           3家  ░░░░░░░░     0%  滞后",
    "R&D支出占GDP比重           ≥3.1%   2.61% ƒ      3.1%  0.49个百分点  ██████░░  84.2%  滞后",
    "产学研合作对接活动         ≥30次      14次      15次          16次  ███░░░░░  46.7%  略低于序时进度",
    "技术合同增长                ≥15%   14.1% ƒ       15%   0.9个百分点  ███████░    94%  略低于序时进度",
    "登记科技成果            ≥1,000件     430件     500件         570件  ███░░░░░    43%  滞后",
    "研发经费投入            >100亿元  44.6亿元    50亿元      55.4亿元  ███░░░░░  44.6%  滞后",
    "共13项目标，截至2020-06：已完成1项，达到序时进度2项，略低于序时进度3项，滞后7项，未完成0项，",
    "未报送0项",
    "Σ = 各地区合计，ƒ = 按计划公式推算",
]
ZH_140 = [
    "市科学技术局2020年工作要点 · 截至2020-06",
    "指标                        代码                         目标值    完成值  序时目标          差距  完成率           状态",
    "──────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────",
    "高新技术产业增加值增长      hitech_value_added_growth      ≥10%      8.7%       10%   1.3个百分点  ██████░░    87%  滞后",
    "国家科技型中小企业          tech_smes                  >1,000家   1,036家     851家         -36家  ████████ 112.1%  已完成",
    "高新技术企业                hitech_enterprises           >900家     812家   842.5家          88家  █░░░░░░░  23.5%  滞后",
    "国家和省级重点科技项目      key_projects                  ≥60个      32个      30个          28个  ████░░░░  53.3%  达到序时进度",
    "国家和省级重点科技项目资金  key_project_funding          ≥1亿元  0.46亿元   0.5亿元      0.54亿元  ███░░░░░    46%  略低于序时进度",
    "高层次科技人才团队          talent_teams                  ≥30个      12个      15个          18个  ███░░░░░    40%  滞后",
    "省级以上科技研发机构        rd_institutions                ≥7家     4家 Σ     3.5家           3家  ████░░░░  57.1%  达到序时进度",
    "科技企业孵化器、众创空间    incubators                     ≥3家       0家     1.5家           3家  ░░░░░░░░     0%  滞后",
    "R&D支出占GDP比重            rd_ratio                      ≥3.1%   2.61% ƒ      3.1%  0.49个百分点  ██████░░  84.2%  滞后",
    "产学研合作对接活动          matchmaking_events            ≥30次      14次      15次          16次  ███░░░░░  46.7%  略低于序时进度",
    "企业吸纳技术合同成交额增长  tech_contract_growth           ≥15%   14.1% ƒ       15%   0.9个百分点  ███████░    94%  略低于序时进度",
    "登记科技成果                registered_achievements    ≥1,000件     430件     500件         570件  ███░░░░░    43%  滞后",
    "研发经费投入                rd_expenditure             >100亿元  44.6亿元    50亿元      55.4亿元  ███░░░░░  44.6%  滞后",
    "共13项目标，截至2020-06：已完成1项，达到序时进度2项，略低于序时进度3项，滞后7项，未完成0项，未报送0项",
    "Σ = 各地区合计，ƒ = 按计划公式推算",
]

PINNED = {
    ("en", 60): EN_60,
    ("en", 80): EN_80,
    ("en", 100): EN_100,
    ("en", 140): EN_140,
    ("zh", 60): ZH_60,
    ("zh", 80): ZH_80,
    ("zh", 100): ZH_100,
    ("zh", 140): ZH_140,
}


def _status(runner: CliRunner, monkeypatch: pytest.MonkeyPatch, *args: str) -> list[str]:
    result = runner.invoke(app, ["status", str(EXAMPLE), *args])
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


@pytest.mark.parametrize(("lang", "width"), sorted(PINNED))
def test_the_status_table_at_each_width(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, lang: str, width: int
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    assert _status(runner, monkeypatch, "--lang", lang) == PINNED[(lang, width)]


VIEWS = [
    ["status", str(EXAMPLE)],
    ["status", str(DISTRICTS), "--allocations", str(SHARES)],
    ["status", str(DISTRICTS), "--allocations", str(SHARES), "--region", "镜湖"],
    ["gap", str(EXAMPLE)],
    ["gap", "-t", "rd_ratio", str(EXAMPLE)],
    ["regions", str(DISTRICTS), "--allocations", str(SHARES)],
    ["regions", "-t", "高企", str(DISTRICTS), "--allocations", str(SHARES)],
    ["targets"],
    ["explain", "-t", "hitech_enterprises", str(EXAMPLE)],
    ["tasks", str(EXAMPLES / "tasks-2020-h1.csv"), "--actuals", str(EXAMPLE)],
    ["trend", "-t", "talent_teams", str(EXAMPLE)],
    [
        "trend",
        "-t",
        "key_projects",
        str(DISTRICTS),
        "--allocations",
        str(SHARES),
        "--region",
        "镜湖",
    ],
    ["gap", "-t", "hitech_enterprises", str(EXAMPLE)],
    [
        "status",
        str(EXAMPLES / "actuals-2021-2023.csv"),
        "--plan",
        str(EXAMPLES / "plan-2021-2025.yaml"),
    ],
]


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("view", VIEWS, ids=lambda v: " ".join(a for a in v if "/" not in a))
def test_no_line_is_wider_than_the_terminal_or_ends_in_a_space(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, view: list[str], lang: str
) -> None:
    for width in WIDTHS:
        monkeypatch.setenv("COLUMNS", str(width))
        result = runner.invoke(app, [*view, "--lang", lang])
        assert result.exit_code == 0, result.output
        for line in result.stdout.splitlines():
            assert line == line.rstrip(), (width, line)
            # explain's input rows cite files by their whole path, which may be longer
            if view[0] != "explain":
                assert cell_len(line) <= width, (width, line)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_columns_are_given_up_in_their_order_and_never_the_name_or_status(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    i18n.use(i18n.Language(lang))
    from sti_plan.render.text import status_headings

    headings = status_headings()
    everything = ["Goal", "Actual", "Expected", "Gap", "Progress", "Status"]
    previous: list[str] = []
    for width in range(140, 39, -1):
        monkeypatch.setenv("COLUMNS", str(width))
        out = _status(runner, monkeypatch, "--lang", lang)
        header = out[next(i for i, line in enumerate(out) if line.startswith("─")) - 1]
        shown = [c for c in everything if headings[c] in header.split()]
        assert {"Actual", "Progress", "Status"} <= set(shown), width
        assert header.startswith(headings["Target"])
        gone = [c for c in STATUS_DROPS if c != "bar" and c in everything and c not in shown]
        # what is gone at a width stays gone at every narrower one, in the order of drops
        assert gone == [c for c in STATUS_DROPS if c in gone]
        assert set(previous) <= set(gone), width
        previous = gone
        if width >= 80:
            assert gone == [] and "█" in "\n".join(out), width
    assert previous == ["Expected", "Gap", "Goal"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_summary_is_broken_only_between_its_counts(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    out = _status(runner, monkeypatch, "--lang", lang)
    summary = out[-3:-1]
    separator = "," if lang == "en" else "，"
    assert summary[0].endswith(separator)
    joined = (" " if lang == "en" else "").join(summary)
    assert joined == (
        "13 targets, as of 2020-06: 1 achieved, 2 on track, 3 at risk, 7 off track, "
        "0 missed, 0 no data"
        if lang == "en"
        else "共13项目标，截至2020-06：已完成1项，达到序时进度2项，略低于序时进度3项，滞后7项，"
        "未完成0项，未报送0项"
    )


def test_a_table_into_a_pipe_or_a_file_is_100_columns_unless_columns_says(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("COLUMNS")
    piped = _status(runner, monkeypatch)  # CliRunner's stdout is no terminal: a pipe
    assert piped == EN_100
    path = tmp_path / "status.txt"
    _status(runner, monkeypatch, "-o", str(path))
    assert path.read_text(encoding="utf-8").splitlines() == EN_100
    monkeypatch.setenv("COLUMNS", "140")
    _status(runner, monkeypatch, "-o", str(path))
    assert path.read_text(encoding="utf-8").splitlines() == EN_140


def test_a_name_without_a_short_name_is_cut_short_with_an_ellipsis(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, write: Callable[..., Path], plan_data: dict
) -> None:
    import yaml

    for target in plan_data["targets"]:
        target.pop("short_name", None)
    plan = write("plan.yaml", yaml.safe_dump(plan_data, allow_unicode=True))
    monkeypatch.setenv("COLUMNS", "44")
    out = _status(runner, monkeypatch, "--plan", str(plan))
    rows = out[out.index(next(line for line in out if line.startswith("─"))) + 1 :][:13]
    assert [line.split()[0] for line in rows][:3] == [
        "高新技术产业增…",
        "国家科技型中小…",
        "高新技术企业",
    ]
    assert all(cell_len(line) <= 44 for line in out)
