"""The start-up floor: what sti-plan's `status` stands on, with none of sti-plan's own work.

A Typer app whose `status` command takes the same seven options as sti-plan's, with yaml
and pydantic's BaseModel imported, printing a 15-row, 8-column rich table. It reads no
plan and no file:

    python benchmarks/bare_app.py status examples/actuals-2020-h1.csv
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
import yaml  # noqa: F401 - imported as sti-plan imports it, to cost what it costs
from pydantic import BaseModel  # noqa: F401 - the same
from rich.console import Console
from rich.table import Table

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None)


class Format(str, Enum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    MARKDOWN = "markdown"


@app.callback()
def main() -> None:
    """A command group, as sti-plan is."""


@app.command()
def status(
    actuals: Annotated[Path, typer.Argument(envvar="BARE_APP_ACTUALS")] = Path("actuals.csv"),
    plan: Annotated[Path | None, typer.Option("--plan", envvar="BARE_APP_PLAN")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of")] = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", case_sensitive=False)] = Format.TABLE,
    sheet: Annotated[str | None, typer.Option("--sheet")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o")] = None,
    max_problems: Annotated[int, typer.Option("--max-problems", min=0)] = 100,
) -> None:
    table = Table(title=f"{actuals.name} · as of {as_of or 'the latest period'}")
    for column in range(8):
        table.add_column(f"Column {column + 1}", justify="right" if column else "left")
    for row in range(15):
        table.add_row(f"Target {row + 1}", *(f"{row * 8 + column:,}" for column in range(1, 8)))
    Console(highlight=False, soft_wrap=False).print(table)


if __name__ == "__main__":
    app()
