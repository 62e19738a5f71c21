"""Shared fixtures: the bundled plan, CSV helpers, and a CLI runner with a fixed terminal."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from sti_plan import i18n
from sti_plan.actuals import read_actuals
from sti_plan.model import Plan
from sti_plan.observations import Actuals
from sti_plan.plan_file import bundled_plan_path, load_plan

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "actuals-2020-h1.csv"
SOURCE_TEXT = (
    Path(__file__).resolve().parent.parent / "data" / "source" / "wuhu-sti-2020-work-key-points.txt"
)
HEADER = "target,period,value,region\n"


@pytest.fixture(autouse=True)
def _fixed_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rich reads these when a console is made: fixed width, no colour, no terminal tricks."""
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("LINES", "50")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("TERM", "dumb")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("STI_PLAN_ACTUALS", raising=False)
    monkeypatch.delenv("STI_PLAN_PLAN", raising=False)


@pytest.fixture(autouse=True)
def _english_after() -> Iterator[None]:
    """A test that ran the CLI in Chinese leaves the language in use as it was: English."""
    yield
    i18n.use(i18n.Language.EN)


@pytest.fixture(scope="session")
def source_text() -> str:
    """The published text of the 2020 work key points."""
    return SOURCE_TEXT.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def example() -> Path:
    """The bundled illustrative half-year actuals file."""
    return EXAMPLE


@pytest.fixture(scope="session")
def plan() -> Plan:
    loaded, problems = load_plan(bundled_plan_path())
    assert loaded is not None, problems
    return loaded


@pytest.fixture
def plan_data() -> dict[str, Any]:
    """The bundled plan as plain data, to change and validate again."""
    data = yaml.safe_load(bundled_plan_path().read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.fixture
def shaped(plan_data: dict[str, Any]) -> Callable[..., Plan]:
    """The bundled plan with one target changed: shaped("key_projects", comparison=...)."""

    def make(target_id: str, **changes: Any) -> Plan:
        for target in plan_data["targets"]:
            if target["id"] == target_id:
                target.update(changes)
        return Plan.model_validate(plan_data)

    return make


@pytest.fixture(scope="session")
def free_plan_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled plan without its regions: actuals may name any region (town-1, ...)."""
    data = yaml.safe_load(bundled_plan_path().read_text(encoding="utf-8"))
    del data["regions"]
    path = tmp_path_factory.mktemp("plans") / "free.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def free_plan(free_plan_path: Path) -> Plan:
    plan, problems = load_plan(free_plan_path)
    assert plan is not None, problems
    return plan


@pytest.fixture
def read_csv(plan: Plan) -> Callable[..., Actuals]:
    """Read CSV text (header included) against a plan, the bundled one by default."""

    def read(text: str, against: Plan | None = None, path: str = "actuals.csv") -> Actuals:
        return read_actuals(io.StringIO(text, newline=""), against or plan, path)

    return read


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    """Write a file under tmp_path (text as UTF-8, or bytes as given) and return its path."""

    def write_file(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
        return path

    return write_file
