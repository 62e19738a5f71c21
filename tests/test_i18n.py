"""The interface's language: how it is chosen, the catalogue's upkeep, and what stays English."""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import polib
import pytest
from typer.testing import CliRunner

from sti_plan import i18n
from sti_plan.cli import app
from sti_plan.i18n import Language, from_environment

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import messages  # noqa: E402  (tools/messages.py: the catalogue's upkeep)

EXAMPLES = ROOT / "examples"
EXAMPLE = EXAMPLES / "actuals-2020-h1.csv"
DISTRICTS = EXAMPLES / "districts-2020-h1.csv"
SHARES = EXAMPLES / "allocations-2020.csv"
Write = Callable[..., Path]


@pytest.fixture(autouse=True)
def _english_after() -> Iterator[None]:
    """Each test leaves the process speaking English, as it found it."""
    yield
    i18n.use(Language.EN)


# ---------------------------------------------------------------- choosing the language


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, Language.EN),
        ({"LANG": "zh_CN.UTF-8"}, Language.ZH),
        ({"LANG": "zh_TW.Big5"}, Language.ZH),
        ({"LANG": "en_US.UTF-8"}, Language.EN),
        ({"LANG": "C.UTF-8"}, Language.EN),
        ({"LANG": "de_DE.UTF-8"}, Language.EN),
        # gettext's order: LANGUAGE, then LC_ALL, LC_MESSAGES, LANG; the first set decides.
        ({"LANGUAGE": "zh_CN:en", "LANG": "en_US.UTF-8"}, Language.ZH),
        ({"LANGUAGE": "en", "LC_ALL": "zh_CN.UTF-8"}, Language.EN),
        ({"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, Language.ZH),
        ({"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "C"}, Language.ZH),
        ({"LC_ALL": "C", "LC_MESSAGES": "zh_CN.UTF-8"}, Language.EN),
        ({"LANGUAGE": "", "LANG": "zh_CN.UTF-8"}, Language.ZH),  # set but empty: not set
        # $STI_PLAN_LANG comes before the locale.
        ({"STI_PLAN_LANG": "zh", "LANG": "en_US.UTF-8"}, Language.ZH),
        ({"STI_PLAN_LANG": "en", "LANG": "zh_CN.UTF-8"}, Language.EN),
        ({"STI_PLAN_LANG": "zh_CN.UTF-8"}, Language.ZH),
    ],
)
def test_the_language_follows_sti_plan_lang_then_the_locale(
    environ: dict[str, str], expected: Language
) -> None:
    assert from_environment(environ) == (expected, None)


def test_an_unknown_sti_plan_lang_is_reported() -> None:
    assert from_environment({"STI_PLAN_LANG": "fr", "LANG": "zh_CN.UTF-8"}) == (
        Language.ZH,
        "fr",
    )


def _clear_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (i18n.ENVIRONMENT, *i18n.LOCALE_VARIABLES):
        monkeypatch.delenv(name, raising=False)


def test_the_locale_speaks_chinese_without_a_chinese_locale_installed(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    # zh_CN.UTF-8 need not exist on the machine: only the variable is read.
    _clear_locale(monkeypatch)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    result = runner.invoke(app, ["status", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "市科学技术局2020年工作要点 · 截至2020-06"


def test_lang_comes_before_sti_plan_lang_and_the_locale(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    _clear_locale(monkeypatch)
    monkeypatch.setenv("STI_PLAN_LANG", "zh")
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    result = runner.invoke(app, ["status", str(EXAMPLE), "--lang", "en"])
    assert result.stdout.splitlines()[0] == "市科学技术局2020年工作要点 · as of 2020-06"
    monkeypatch.setenv("STI_PLAN_LANG", "en")
    result = runner.invoke(app, ["status", str(EXAMPLE)])
    assert result.stdout.splitlines()[0] == "市科学技术局2020年工作要点 · as of 2020-06"


def test_an_unknown_language_is_a_usage_error(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    _clear_locale(monkeypatch)
    monkeypatch.setenv("STI_PLAN_LANG", "fr")
    result = runner.invoke(app, ["status", str(EXAMPLE)])
    assert result.exit_code == 2
    assert (
        result.stderr == "error: STI_PLAN_LANG: 'fr' is not a language sti-plan speaks (zh, en)\n"
    )
    result = runner.invoke(app, ["status", str(EXAMPLE), "--lang", "fr"])
    assert result.exit_code == 2
    assert "--lang" in result.stderr


@pytest.mark.parametrize(
    "command",
    [
        ["status", str(EXAMPLE)],
        ["gap", str(EXAMPLE)],
        ["explain", "-t", "rd_ratio", str(EXAMPLE)],
        ["regions", str(DISTRICTS), "--allocations", str(SHARES)],
        ["validate"],
        ["targets"],
        ["template"],
        ["schema"],
    ],
)
def test_every_command_takes_lang(runner: CliRunner, command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--lang", "zh"])
    assert result.exit_code == 0, result.output


# ---------------------------------------------------------------- the catalogue


def test_every_message_has_a_chinese_translation() -> None:
    """The catalogue holds every message the code marks, translated: run
    `python tools/messages.py` to add new ones, then translate them in the .po file."""
    assert messages.untranslated() == []


def test_translations_keep_the_placeholders_of_their_messages() -> None:
    po = polib.pofile(str(i18n.catalogue_path(Language.ZH)))
    for entry in po:
        wanted = set(re.findall(r"\{(\w*)\}", entry.msgid))
        for translated in [entry.msgstr, *entry.msgstr_plural.values()]:
            if translated:
                assert set(re.findall(r"\{(\w*)\}", translated)) == wanted, entry.msgid


def test_the_catalogue_holds_no_message_the_code_no_longer_has() -> None:
    po = polib.pofile(str(i18n.catalogue_path(Language.ZH)))
    used = set(messages.extract())
    kept = {(e.msgctxt or None, e.msgid, e.msgid_plural or None) for e in po}
    assert kept - used == set()


def test_the_bulletin_words_are_the_catalogue_s() -> None:
    i18n.use(Language.ZH)
    from sti_plan.render.text import status_headings, status_label
    from sti_plan.results import Status

    assert [status_label(s) for s in Status] == [
        "已完成",
        "达到序时进度",
        "略低于序时进度",
        "滞后",
        "未完成",
        "未报送",
    ]
    headings = status_headings()
    assert [headings[c] for c in ("Goal", "Actual", "Gap", "Progress", "Status", "Period")] == [
        *("目标值", "完成值", "差距", "完成率", "状态", "统计期"),
    ]


# ---------------------------------------------------------------- what people read, in Chinese


# What may stay in Latin letters in a Chinese screen: ids, codes, option names, units, files.
LATIN = re.compile(r"[A-Za-z][A-Za-z_-]+")


def _english_words(text: str, allowed: set[str]) -> set[str]:
    text = re.sub(r"\S*/\S*", " ", text)  # paths
    text = re.sub(r"--[a-z-]+", " ", text)  # options
    return {w for w in LATIN.findall(text) if w not in allowed}


def _allowed() -> set[str]:
    from sti_plan.plan_file import bundled_plan_path, load_plan
    from sti_plan.problems import Code

    plan, _problems = load_plan(bundled_plan_path())
    assert plan is not None
    ids = {m.id for m in plan.measures} | {r.id for r in plan.regions}
    return ids | {str(c) for c in Code} | {"R", "GDP", "sti-plan", "targets", "ID"}


@pytest.mark.parametrize(
    "command",
    [
        ["status", str(EXAMPLE)],
        ["status", str(DISTRICTS), "--allocations", str(SHARES)],
        ["status", str(DISTRICTS), "--allocations", str(SHARES), "--region", "镜湖"],
        ["gap", str(EXAMPLE)],
        ["gap", "-t", "hitech_enterprises", str(EXAMPLE)],
        ["gap", "-t", "rd_ratio", str(EXAMPLE)],
        ["explain", "-t", "hitech_enterprises", str(EXAMPLE)],
        ["explain", "-t", "rd_ratio", str(EXAMPLE)],
        ["regions", str(DISTRICTS), "--allocations", str(SHARES)],
        ["regions", "-t", "高企", str(DISTRICTS), "--allocations", str(SHARES)],
        ["status", str(EXAMPLE), "-f", "markdown"],
        ["validate", str(EXAMPLE)],
    ],
)
def test_chinese_screens_have_no_english_words(runner: CliRunner, command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--lang", "zh"])
    assert result.exit_code == 0, result.output
    assert _english_words(result.stdout + result.stderr, _allowed()) == set()


def test_chinese_problem_lines_keep_their_codes(runner: CliRunner, write: Write) -> None:
    path = write("bad.csv", "target,period,value\nhitech_enterprises,2020-13,5\nfoo,2020-06,1\n")
    result = runner.invoke(app, ["validate", str(path), "--lang", "zh"])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{path}:2:2: bad-period: 不是统计期：'2020-13'（可写作2020、2020-H1、2020-Q2、2020-06、"
        "2020年上半年、2020年第二季度、2020年6月或2020年1-6月）",
        f"{path}:3:1: unknown-target: 未知目标'foo'（见`sti-plan targets`）",
    ]
    assert result.stderr == "2个问题，已检查1个文件\n"
    assert _english_words(result.stdout, _allowed() | {"foo"}) == set()


def test_the_targets_table_speaks_chinese_around_the_plan_s_english_names(
    runner: CliRunner,
) -> None:
    result = runner.invoke(app, ["targets", "--lang", "zh", "-f", "markdown"])
    assert result.exit_code == 0, result.output
    out = result.stdout.splitlines()
    assert out[0] == "## 市科学技术局2020年工作要点：目标与统计指标"
    assert out[2] == "| 代码 | 类别 | 名称 | 英文名称 | 类型 | 目标值 | 别名 |"
    assert out[6] == (
        "| hitech_enterprises | 目标 | 高新技术企业 | High-tech enterprises | 存量 | >900家 | 高企 |"
    )


# ---------------------------------------------------------------- what stays English


@pytest.mark.parametrize(
    "command",
    [
        ["status", str(EXAMPLE), "-f", "json"],
        ["status", str(EXAMPLE), "-f", "csv"],
        ["gap", "-t", "rd_ratio", str(EXAMPLE), "-f", "json"],
        ["explain", "-t", "rd_ratio", str(EXAMPLE), "-f", "json"],
        ["regions", str(DISTRICTS), "--allocations", str(SHARES), "-f", "csv"],
    ],
)
def test_machine_readable_output_is_the_same_in_both_languages(
    runner: CliRunner, command: list[str]
) -> None:
    english = runner.invoke(app, [*command, "--lang", "en"])
    chinese = runner.invoke(app, [*command, "--lang", "zh"])
    assert english.exit_code == chinese.exit_code == 0, chinese.output
    if "json" in command:
        # Keys, codes and figures: the same; only what a sentence says (a note) may differ.
        def skeleton(value: object) -> object:
            if isinstance(value, dict):
                return {k: skeleton(v) for k, v in value.items() if k not in ("note", "message")}
            if isinstance(value, list):
                return [skeleton(v) for v in value]
            return value

        assert skeleton(json.loads(chinese.stdout)) == skeleton(json.loads(english.stdout))
    else:
        assert next(csv.reader(io.StringIO(chinese.stdout))) == next(
            csv.reader(io.StringIO(english.stdout))
        )


def test_validate_json_keeps_its_codes_in_chinese(runner: CliRunner, write: Write) -> None:
    path = write("bad.csv", "target,period,value\nfoo,2020-06,1\n")
    english = json.loads(runner.invoke(app, ["validate", str(path), "-f", "json"]).stdout)
    chinese = json.loads(
        runner.invoke(app, ["validate", str(path), "-f", "json", "--lang", "zh"]).stdout
    )
    codes = [p["code"] for f in chinese["files"] for p in f["problems"]]
    assert (
        codes == [p["code"] for f in english["files"] for p in f["problems"]] == ["unknown-target"]
    )


# ---------------------------------------------------------------- template


def test_the_chinese_template_has_chinese_headers_that_read_back(
    runner: CliRunner, tmp_path: Path
) -> None:
    result = runner.invoke(app, ["template", "--period", "2020-06", "--lang", "zh"])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["指标", "统计期", "完成值", "地区", "备注", "来源"]
    # Filled in, the template is an actuals file: 高企 812 of 900 by June.
    filled = [rows[0]] + [
        [r[0], r[1], "812" if r[0] == "hitech_enterprises" and r[1] == "2020-06" else "", *r[3:]]
        for r in rows[1:]
    ]
    path = tmp_path / "filled.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(filled)
    status = runner.invoke(app, ["status", str(path), "-f", "json"])
    assert status.exit_code == 0, status.output
    figures = {a["id"]: a for a in json.loads(status.stdout)["targets"]}
    assert figures["hitech_enterprises"]["actual"] == 812


def _formatted_messages() -> Iterator[tuple[str, str, set[str]]]:
    """(where, msgid, keywords) for every `_("…").format(…)` in the package."""
    import ast

    for path in sorted((ROOT / "sti_plan").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "format"
                and isinstance(node.func.value, ast.Call)
                and isinstance(node.func.value.func, ast.Name)
                and node.func.value.func.id in ("_", "ngettext", "pgettext")
            ):
                continue
            if any(k.arg is None for k in node.keywords):  # **kwargs: not known here
                continue
            marked = node.func.value
            texts = [a.value for a in marked.args if isinstance(a, ast.Constant)]
            if marked.func.id == "pgettext":
                texts = texts[1:]
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            for text in texts:
                if isinstance(text, str):
                    yield where, text, {k.arg for k in node.keywords if k.arg}


def test_every_message_is_filled_with_the_placeholders_it_names() -> None:
    """A placeholder left unfilled is a KeyError in some rare message: none is."""
    checked = 0
    for where, msgid, keywords in _formatted_messages():
        named = set(re.findall(r"\{(\w+)\}", msgid))
        assert named <= keywords, (where, msgid, named - keywords)
        checked += 1
    assert checked > 150
