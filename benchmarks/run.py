"""Performance of sti-plan as users run it: whole processes, medians, ratios within one run.

    python benchmarks/run.py                  # 1,000,000 and 100,000 rows, 5 rounds
    python benchmarks/run.py --quick          # 10,000 rows, one round: checks that it works
    python benchmarks/run.py --instructions   # and the same ratios in instructions (valgrind)

Every time is compared with a floor measured in the same run on the same machine, and
the commands take turns (one round runs each of them), so that a shared machine's slow
spells fall on all of them alike: big files against a bare Python pass over the same
file (csv.reader plus float() of the value column); `status` on the example against a
bare app of the same stack (benchmarks/bare_app.py: the same seven options, yaml and
pydantic imported, a 15-row rich table printed); `--version` against importing our
dependencies. The script exits non-zero when a budget is exceeded (never with --quick,
which times nothing seriously).
With --instructions, callgrind also counts the instructions of one run of each budgeted
command: ratios that a shared machine's drift cannot move (a reference, not a budget).
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "actuals-2020-h1.csv"
BARE_APP = Path(__file__).resolve().parent / "bare_app.py"
# Cumulative and stock measures of the 2020 plan: the ones whose regional rows are summed.
MEASURES = [
    "tech_smes",
    "hitech_enterprises",
    "key_projects",
    "key_project_funding",
    "talent_teams",
    "rd_institutions",
    "incubators",
    "matchmaking_events",
    "registered_achievements",
    "rd_expenditure",
    "gdp",
    "tech_contract_turnover",
]
BARE_PASS = (
    "import csv, sys\n"
    "with open(sys.argv[1], newline='', encoding='utf-8') as f:\n"
    "    rows = csv.reader(f)\n"
    "    next(rows)\n"
    "    for row in rows:\n"
    "        float(row[2])\n"
)
IMPORT_FLOOR = "import typer, pydantic, yaml, rich.table"


@dataclass
class Timing:
    name: str
    seconds: float  # the median of every run
    peak_mb: float  # the largest of every run
    rounds: list[float]  # each round's own median


def paired(timings: dict[str, Timing], formula: Callable[..., float], *names: str) -> float:
    """A ratio worked out round by round, from runs made minutes apart at most, then the
    median of the rounds: a machine whose speed drifts over the run moves it less than a
    ratio of two medians taken over the whole run."""
    return statistics.median(
        formula(*values) for values in zip(*(timings[n].rounds for n in names), strict=True)
    )


TREND_TARGET = "registered_achievements"  # a regional sum in every month of the big file


def generate(path: Path, rows: int) -> None:
    """A valid actuals file: every measure x 12 months x as many towns as it takes."""
    per_town = len(MEASURES) * 12
    towns = -(-rows // per_town)
    written = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["target", "period", "value", "region"])
        for town in range(towns):
            region = f"town-{town:05d}"
            for measure in MEASURES:
                for month in range(1, 13):
                    if written == rows:
                        return
                    value = (town % 97 + 1) * month / 10
                    writer.writerow([measure, f"2020-{month:02d}", f"{value:g}", region])
                    written += 1


def write_free_plan(path: Path) -> Path:
    """The bundled plan without its regions: the generated towns are free-text regions."""
    import yaml

    from sti_plan.plan_file import bundled_plan_path

    data = yaml.safe_load(bundled_plan_path().read_text(encoding="utf-8"))
    del data["regions"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def run_once(command: Sequence[str], name: str, cwd: Path) -> tuple[float, float]:
    """Wall time and peak RSS (MB) of one run of a whole process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    stderr = process.stderr.read().decode() if process.stderr else ""
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"{name}: exit {code}\n{stderr}")
    return elapsed, usage.ru_maxrss / 1024  # KiB on Linux


def run_rounds(
    commands: dict[str, list[str]], runs: int, repeat: dict[str, int], cwd: Path
) -> dict[str, Timing]:
    """Run every command once per round, `runs` rounds (commands in `repeat` that many
    times per round): a machine that slows down for a while slows every command alike,
    and the ratios stay fair. Median wall time, largest peak RSS."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    peaks: dict[str, list[float]] = {name: [] for name in commands}
    rounds: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            this_round = [run_once(command, name, cwd) for _ in range(repeat.get(name, 1))]
            times[name] += [elapsed for elapsed, _ in this_round]
            peaks[name] += [peak for _, peak in this_round]
            rounds[name].append(statistics.median(elapsed for elapsed, _ in this_round))
    return {
        name: Timing(name, statistics.median(times[name]), max(peaks[name]), rounds[name])
        for name in commands
    }


def precompile() -> None:
    """Byte-compile the package as an install does, so that an editable checkout (or
    PYTHONDONTWRITEBYTECODE) does not add compile time to every start-up measured."""
    import compileall

    import sti_plan as package

    compileall.compile_dir(str(Path(package.__file__).parent), quiet=1)


def script(name: str) -> str | None:
    """The console script installed for the Python that runs this benchmark, if any."""
    beside = Path(sysconfig.get_path("scripts")) / name
    return str(beside) if beside.is_file() else None


def sti_plan() -> list[str]:
    """sti-plan as installed for this Python, else run by it. Not a launcher found first
    on PATH (a version manager's shim, another environment's install): that would add
    its own start-up to every command measured, but not to the floors, which run
    sys.executable directly, and callgrind would count the launcher, not sti-plan."""
    found = script("sti-plan")
    return [found] if found else [sys.executable, "-m", "sti_plan"]


@dataclass
class Check:
    what: str
    value: float
    budget: float
    unit: str = "x"
    at_least: bool = False  # the budget is a floor (frictionless must be this much slower)

    @property
    def ok(self) -> bool:
        return self.value >= self.budget if self.at_least else self.value <= self.budget


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of the big file")
    parser.add_argument("--runs", type=int, default=5, help="rounds: runs per command (median)")
    parser.add_argument("--quick", action="store_true", help="10,000 rows, one run, no budgets")
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="also count the instructions of the budgeted commands (valgrind; slow, not noisy)",
    )
    args = parser.parse_args(argv)
    valgrind = shutil.which("valgrind") if args.instructions else None
    if args.instructions and valgrind is None:
        parser.error("--instructions needs valgrind on PATH")
    rows, runs = (10_000, 1) if args.quick else (args.rows, args.runs)
    small_rows = max(rows // 10, 1)
    cli = sti_plan()
    precompile()
    with tempfile.TemporaryDirectory() as folder:
        big, small = Path(folder) / "big.csv", Path(folder) / "small.csv"
        empty = Path(folder) / "empty.csv"
        generate(big, rows)
        generate(small, small_rows)
        generate(empty, 0)
        plan = write_free_plan(Path(folder) / "plan.yaml")
        found = script("frictionless") or shutil.which("frictionless")
        # Run beside the file (it refuses absolute paths as unsafe), checked once first.
        frictionless = frictionless_command(big, found) if found else None
        commands = {
            # Each ratio's two sides run next to each other, round after round.
            "validate empty": [*cli, "validate", str(empty), "--plan", str(plan)],
            "validate small": [*cli, "validate", str(small), "--plan", str(plan)],
            "bare big": [sys.executable, "-c", BARE_PASS, str(big)],
            "validate big": [*cli, "validate", str(big), "--plan", str(plan)],
            **({"frictionless big": frictionless} if frictionless else {}),
            "status big": [*cli, "status", str(big), "--plan", str(plan)],
            "trend big": [*cli, "trend", "-t", TREND_TARGET, str(big), "--plan", str(plan)],
            "bare small": [sys.executable, "-c", BARE_PASS, str(small)],
            "status small": [*cli, "status", str(small), "--plan", str(plan)],
            "import floor": [sys.executable, "-c", IMPORT_FLOOR],
            "--version": [*cli, "--version"],
            "--help": [*cli, "--help"],
            "bare app": [sys.executable, str(BARE_APP), "status", str(EXAMPLE)],
            "status example": [*cli, "status", str(EXAMPLE)],
            "report example": [*cli, "report", str(EXAMPLE), "-o", str(Path(folder) / "r.html")],
        }
        # The short runs, whose medians the small differences rest on, run more often.
        short = (
            "validate empty",
            "validate small",
            "import floor",
            "--version",
            "--help",
            "bare app",
        )
        repeat = {
            name: 1 if args.quick else 3 for name in (*short, "status example", "report example")
        }
        timings = run_rounds(commands, runs, repeat, Path(folder))
        counted: dict[str, int] = {}
        if valgrind is not None:
            counted = {name: instructions(valgrind, commands[name]) for name in INSTRUCTIONS_OF}

    print(f"rows: {rows:,} (big), {small_rows:,} (small); rounds: {runs}; median wall time")
    print(f"{'what':<22}{'seconds':>10}{'peak MB':>10}")
    for key, timing in timings.items():
        print(f"{key:<22}{timing.seconds:>10.3f}{timing.peak_mb:>10.1f}")
    if frictionless is None:
        print("frictionless: not installed, skipped")

    def ratio(a: float, b: float) -> float:
        return a / b

    def linear(empty: float, small: float, big: float) -> float:
        """The time that grows with rows (less a header-only file's) scales 10:1; below a
        tenth of a second of row work the ratio is noise, so it counts as 1 (not judged)."""
        return (big - empty) / (10 * (small - empty)) if small - empty > 0.1 else 1.0

    checks = [
        Check("validate big / bare pass", paired(timings, ratio, "validate big", "bare big"), 3.0),
        Check("status big / bare pass", paired(timings, ratio, "status big", "bare big"), 3.0),
        # A target's twelve months cost about what every target's status does: both are the
        # reading of the file, and the months' figures come from the same roll-up.
        Check("trend big / status big", paired(timings, ratio, "trend big", "status big"), 1.2),
        Check("validate peak RSS", timings["validate big"].peak_mb, 200, "MB"),
        Check("status peak RSS", timings["status big"].peak_mb, 200, "MB"),
        Check(
            "per-row time, big / 10 x small",
            paired(timings, linear, "validate empty", "validate small", "validate big"),
            1.15,
        ),
        Check("--version / import floor", paired(timings, ratio, "--version", "import floor"), 1.0),
        Check(
            "status example / bare app", paired(timings, ratio, "status example", "bare app"), 1.2
        ),
        # The HTML report of the example: every target's chart and table, within twice the
        # status table's time (about a second here; under 2 s is the promise).
        Check(
            "report example / status example",
            paired(timings, ratio, "report example", "status example"),
            2.0,
        ),
    ]
    if frictionless is not None:
        slower = paired(timings, ratio, "frictionless big", "validate big")
        checks.append(Check("frictionless / validate", slower, 6.0, at_least=True))
    print()
    print(f"{'budget':<32}{'value':>10}{'limit':>10}")
    for check in checks:
        mark = "ok" if check.ok else "OVER"
        value = f"{check.value:.2f}{check.unit}"
        budget = f"{'≥ ' if check.at_least else ''}{check.budget:.2f}{check.unit}"
        print(f"{check.what:<32}{value:>10}{budget:>10}  {mark}")
    if counted:
        print(f"\n{'instructions (callgrind)':<32}{'ratio':>10}")
        for what, (of, floor) in INSTRUCTION_RATIOS.items():
            print(f"{what:<32}{counted[of] / counted[floor]:>9.2f}x")
    if args.quick:
        print("\n--quick: the script works; budgets are not enforced at this size")
        return 0
    return 0 if all(check.ok for check in checks) else 1


# Wall time on a shared machine drifts; instruction counts do not. A reference, not a budget.
INSTRUCTION_RATIOS = {
    "validate big / bare pass": ("validate big", "bare big"),
    "status big / bare pass": ("status big", "bare big"),
    "--version / import floor": ("--version", "import floor"),
    "status example / bare app": ("status example", "bare app"),
}
INSTRUCTIONS_OF = sorted({name for pair in INSTRUCTION_RATIOS.values() for name in pair})


def instructions(valgrind: str, command: Sequence[str]) -> int:
    """Instructions that one run of a whole process executes, counted by callgrind."""
    done = subprocess.run(
        [valgrind, "--tool=callgrind", "--callgrind-out-file=/dev/null", *command],
        capture_output=True,
        text=True,
        check=False,
    )
    found = re.search(r"Collected : (\d+)", done.stderr)
    if done.returncode != 0 or found is None:
        raise SystemExit(f"callgrind could not count {command}:\n{done.stderr[-2000:]}")
    return int(found.group(1))


def frictionless_command(path: Path, frictionless: str) -> list[str]:
    """frictionless validate with an equivalent Table Schema, to run in the file's folder;
    refused unless it finds the file valid, as sti-plan does."""
    schema = path.with_suffix(".schema.json")
    schema.write_text(
        '{"fields": [{"name": "target", "type": "string"}, {"name": "period", "type": "string"},'
        ' {"name": "value", "type": "number"}, {"name": "region", "type": "string"}]}',
        encoding="utf-8",
    )
    command = [frictionless, "validate", "--schema", schema.name, path.name]
    done = subprocess.run(command, cwd=path.parent, capture_output=True, text=True, check=False)
    if "VALID" not in done.stdout or "INVALID" in done.stdout:
        raise SystemExit(f"frictionless did not validate the file:\n{done.stdout[-2000:]}")
    return command


if __name__ == "__main__":
    sys.exit(main())
