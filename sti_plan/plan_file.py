"""Plan YAML -> Plan, with the line and column of every problem.

The YAML is composed into nodes (not loaded straight into Python objects) so
that each value keeps its position; pydantic's error locations are then mapped
back to those positions. Duplicate keys and aliases are refused outright.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from . import i18n
from .i18n import N_, _, ngettext
from .limits import MAX_PLAN_BYTES
from .model import REFERENCE_ERRORS, Plan
from .problems import Code, Problem, StiPlanError, shown
from .sources import open_binary

BUNDLED_PLAN = "plan2020.yaml"

Loc = tuple[str | int, ...]


def bundled_plan_path() -> Path:
    """The plan shipped inside the package (falls back to the source tree's data/)."""
    here = Path(__file__).resolve().parent
    packaged = here / "data" / BUNDLED_PLAN
    return packaged if packaged.is_file() else here.parent / "data" / BUNDLED_PLAN


class _Problems(Exception):
    def __init__(self, *problems: Problem) -> None:
        self.problems = list(problems)


# libyaml's composer where PyYAML has it: some ten times faster than the pure-Python one.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_plan_text(path: Path) -> str:
    """Read a plan file; unreadable files are usage errors (exit 2)."""
    advice = N_("a plan has no need of more")
    with open_binary(path, N_("a plan file"), MAX_PLAN_BYTES, advice) as handle:
        data = handle.read()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _Problems(
            Problem(
                Code.ENCODING_ERROR,
                str(path),
                _("not valid UTF-8 at byte {offset} (plan files are UTF-8)").format(
                    offset=exc.start
                ),
                line=line,
            )
        ) from None


PLAN_SUFFIXES = (".yaml", ".yml")


def is_folder(path: Path) -> bool:
    """Whether a path names a folder; a name the system cannot look up (too long, no
    permission) is none, and opening it says why."""
    try:
        return path.is_dir()
    except OSError:
        return False


def plan_files(folder: Path) -> list[Path]:
    """A folder's plan files (.yaml, .yml), in name order; its subfolders are not read."""
    try:
        found = sorted(
            path
            for path in folder.iterdir()
            if path.suffix.lower() in PLAN_SUFFIXES and path.is_file()
        )
    except OSError as exc:
        raise StiPlanError(
            _("{path}: cannot read the folder ({reason})").format(
                path=folder, reason=exc.strerror or exc
            )
        ) from None
    if not found:
        raise StiPlanError(
            _("{path}: no plan files (.yaml, .yml) in the folder").format(path=folder)
        )
    return found


def plan_of_year(plans: Sequence[tuple[Path, Plan]], year: int | None) -> tuple[Path, Plan]:
    """Among a folder's plans, the one of `year`: the plan of that year, else the plan over
    several years that covers it. Without a year: the latest plan of one year, else the
    latest over several."""
    if year is None:
        yearly = [entry for entry in plans if entry[1].years is None]
        latest = max(yearly or plans, key=lambda entry: entry[1].year)
        return plan_of_year(plans, latest[1].year) if yearly else latest
    for several in (False, True):
        found = [
            (path, plan)
            for path, plan in plans
            if (plan.years is not None) is several and plan.covers(year)
        ]
        if len(found) > 1:
            names = ", ".join(str(path) for path, _plan in found)
            raise StiPlanError(
                _("{count} plans of {year}: {names}; keep one").format(
                    count=len(found), year=year, names=names
                )
            )
        if found:
            return found[0]
    spans = ", ".join(sorted({plan.span_text for _path, plan in plans}))
    raise StiPlanError(
        _("no plan of {year} among the plans given (their years: {spans})").format(
            year=year, spans=spans
        )
    )


def same_year_plans(plans: Sequence[tuple[Path, Plan]]) -> list[Problem]:
    """Plans of one year among a folder's, or plans over several years whose years
    overlap: which of them a year means could not be told."""
    problems = []
    for i, (path, plan) in enumerate(plans):
        for other_path, other in plans[:i]:
            several = plan.years is not None
            if (other.years is not None) is not several:
                continue
            if several:
                overlap = plan.first_year <= other.year and other.first_year <= plan.year
            else:
                overlap = plan.year == other.year
            if overlap:
                message = _("{other} is a plan of {span} too: keep one").format(
                    other=other_path, span=plan.span_text
                )
                problems.append(Problem(Code.SCHEMA, str(path), message))
    return problems


def load_plan(path: Path) -> tuple[Plan | None, list[Problem]]:
    """Load and validate a plan file; the plan is None when there are problems."""
    try:
        text = read_plan_text(path)
    except _Problems as exc:
        return None, exc.problems
    return parse_plan(text, str(path))


def parse_plan(text: str, path: str = "<plan>") -> tuple[Plan | None, list[Problem]]:
    """Validate plan YAML given as text; `path` names it in problems."""
    try:
        data, marks = _compose(text, path)
    except _Problems as exc:
        return None, exc.problems
    try:
        return Plan.model_validate(data), []
    except ValidationError as exc:
        return None, [_schema_problem(path, error, marks) for error in exc.errors()]


def _compose(text: str, path: str) -> tuple[Any, dict[Loc, tuple[int, int]]]:
    loader = None
    try:
        if "*" in text:  # an alias needs one: only then look for aliases, where they stand
            _refuse_aliases(text)
        loader = _Loader(text)
        root = loader.get_single_node()
        if root is None:
            empty = _("the plan file is empty")
            raise _Problems(Problem(Code.EMPTY_FILE, path, empty, line=1, col=1))
        builder = _Builder(path)
        data = builder.build(root, ())
        if builder.problems:
            raise _Problems(*builder.problems)
        return data, builder.marks
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        message = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        raise _Problems(
            Problem(Code.YAML_SYNTAX, path, message or _("invalid YAML"), line=line, col=col)
        ) from None
    except yaml.reader.ReaderError as exc:
        at = exc.position
        if _Loader is not yaml.SafeLoader:  # libyaml counts UTF-8 bytes, not characters
            at = len(text.encode("utf-8")[:at].decode("utf-8", errors="ignore"))
        line = text.count("\n", 0, at) + 1
        col = at - (text.rfind("\n", 0, at) + 1) + 1
        character = ord(text[at]) if at < len(text) else 0
        message = _("unacceptable character {character} in a plan file").format(
            character=f"#x{character:04x}"
        )
        raise _Problems(Problem(Code.YAML_SYNTAX, path, message, line=line, col=col)) from None
    except yaml.YAMLError as exc:
        message = str(exc).splitlines()[0]
        raise _Problems(Problem(Code.YAML_SYNTAX, path, message)) from None
    except RecursionError:
        deep = _("the YAML is nested too deeply")
        raise _Problems(Problem(Code.YAML_SYNTAX, path, deep)) from None
    except UnicodeEncodeError as exc:  # text given, not read: a lone surrogate
        line = text.count("\n", 0, exc.start) + 1
        col = exc.start - (text.rfind("\n", 0, exc.start) + 1) + 1
        message = _("unacceptable character {character} in a plan file").format(
            character=f"#x{ord(text[exc.start]):04x}"
        )
        raise _Problems(Problem(Code.YAML_SYNTAX, path, message, line=line, col=col)) from None
    finally:
        if loader is not None:
            loader.dispose()


_NULL = re.compile(r"~|null|Null|NULL|")


def _position(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _refuse_aliases(text: str) -> None:
    """Aliases (*name) have no use in a plan and allow alias bombs: refuse the first."""
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            raise yaml.MarkedYAMLError(
                problem=_("aliases (*name) are not allowed in a plan file"),
                problem_mark=event.start_mark,  # type: ignore[arg-type]
            )


class _Builder:
    """Nodes -> plain data, remembering where each value stands.

    Scalars stay the text that was written (only null becomes None): the models
    then parse numbers and dates, so YAML 1.1's surprises (`on` -> True, `010`
    -> 8, `1:20` -> 80) cannot slip into a plan.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self.marks: dict[Loc, tuple[int, int]] = {}
        self.problems: list[Problem] = []

    def build(self, node: yaml.Node, loc: Loc) -> Any:
        self.marks.setdefault(loc, _position(node))
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    self._problem(Code.SCHEMA, _("a key must be plain text"), key_node)
                    continue
                key = str(key_node.value)
                if key in result:
                    first = self.marks[(*loc, key)][0]
                    self._problem(
                        Code.DUPLICATE_KEY,
                        _("duplicate key {key} (first at line {line})").format(
                            key=shown(key), line=first
                        ),
                        key_node,
                    )
                    continue
                self.marks[(*loc, key)] = _position(key_node)
                result[key] = self.build(value_node, (*loc, key))
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*loc, index)) for index, item in enumerate(node.value)]
        if isinstance(node, yaml.ScalarNode) and node.style is None and _NULL.fullmatch(node.value):
            return None
        return node.value

    def _problem(self, code: Code, message: str, node: yaml.Node) -> None:
        line, col = _position(node)
        self.problems.append(Problem(code, self.path, message, line=line, col=col))


def _schema_problem(path: str, error: Any, marks: dict[Loc, tuple[int, int]]) -> Problem:
    loc: Loc = tuple(error["loc"])
    # Walk the location as far as the YAML has it; union tags and the like are skipped.
    found: Loc = ()
    for part in loc:
        if (*found, part) in marks:
            found = (*found, part)
    line, col = marks.get(found, marks[()])
    where = _dotted(tuple(part for part in loc if part in found or isinstance(part, int)))
    message = _describe(error)
    message = _("{where}: {message}").format(where=where, message=message) if where else message
    return Problem(Code.SCHEMA, path, message, line=line, col=col)


def _dotted(loc: Loc) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _describe(error: Any) -> str:
    kind = error["type"]
    if not error["loc"] and kind in {"model_type", "model_attributes_type", "dict_type"}:
        return _("a plan file must be a YAML mapping (id: …, title: …, targets: …)")
    if kind == "extra_forbidden":
        return _("unknown key {key}").format(key=repr(error["loc"][-1]))
    if kind == "missing":
        return _("missing key {key}").format(key=repr(error["loc"][-1]))
    message = _pydantic_message(error)
    if kind in REFERENCE_ERRORS:
        return message
    value = error.get("input")
    if isinstance(value, dict | list):
        return message
    got = shown(value) if isinstance(value, str) else repr(value)
    return _("{message} (got {value})").format(message=message, value=got)


# pydantic's messages for the errors a plan meets, in our words: the English is pydantic's
# own, word for word, and the placeholders are the names of the error's context.
_WORDED = {
    "model_type": N_("Input should be a valid dictionary or instance of {class_name}"),
    "model_attributes_type": N_(
        "Input should be a valid dictionary or object to extract fields from"
    ),
    "dict_type": N_("Input should be a valid dictionary"),
    "list_type": N_("Input should be a valid list"),
    "string_type": N_("Input should be a valid string"),
    "string_pattern_mismatch": N_("String should match pattern '{pattern}'"),
    "bool_type": N_("Input should be a valid boolean"),
    "bool_parsing": N_("Input should be a valid boolean, unable to interpret input"),
    "int_type": N_("Input should be a valid integer"),
    "int_parsing": N_("Input should be a valid integer, unable to parse string as an integer"),
    "int_from_float": N_("Input should be a valid integer, got a number with a fractional part"),
    "float_type": N_("Input should be a valid number"),
    "float_parsing": N_("Input should be a valid number, unable to parse string as a number"),
    "decimal_type": N_("Decimal input should be an integer, float, string or Decimal object"),
    "decimal_parsing": N_("Input should be a valid decimal"),
    "finite_number": N_("Input should be a finite number"),
    "greater_than": N_("Input should be greater than {gt}"),
    "greater_than_equal": N_("Input should be greater than or equal to {ge}"),
    "less_than": N_("Input should be less than {lt}"),
    "less_than_equal": N_("Input should be less than or equal to {le}"),
    "date_type": N_("Input should be a valid date"),
    "date_parsing": N_("Input should be a valid date in the format YYYY-MM-DD, {error}"),
    "date_from_datetime_parsing": N_("Input should be a valid date or datetime, {error}"),
    "date_from_datetime_inexact": N_(
        "Datetimes provided to dates should have zero time - e.g. be exact dates"
    ),
    "union_tag_invalid": N_(
        "Input tag '{tag}' found using {discriminator} does not match any of the expected "
        "tags: {expected_tags}"
    ),
    "union_tag_not_found": N_("Unable to extract tag using discriminator {discriminator}"),
    "value_error": N_("Value error, {error}"),
}
# Why a date could not be read, as pydantic says it (its `error`).
_DATE_REASONS = frozenset(
    {
        N_("input is too short"),
        N_("unexpected extra characters at the end of the input"),
        N_("invalid character in year"),
        N_("invalid character in month"),
        N_("invalid character in day"),
        N_("invalid date separator, expected `-`"),
        N_("invalid datetime separator, expected `T`, `t`, `_` or space"),
        N_("month value is outside expected range of 1-12"),
        N_("day value is outside expected range"),
    }
)


def _pydantic_message(error: Any) -> str:
    """The error's message in the language in use: ours for the errors pydantic words (as it
    words them in English), the message itself for the rest (the plan's own checks, already
    in the language in use, and what pydantic words in ways we do not know)."""
    message = str(error["msg"])
    context = dict(error.get("ctx") or {})
    try:
        worded = _counted(error["type"], context)
        if worded is not None:
            return worded
        template = _WORDED.get(error["type"])
        if template is None or template.format(**context) != message:
            return message
        if "error" in context:
            reason = str(context["error"])
            context["error"] = i18n._(reason) if reason in _DATE_REASONS else reason
        return i18n._(template).format(**context)
    except (KeyError, IndexError, ValueError):  # a context without what its message needs
        return message


def _counted(kind: str, context: dict[str, Any]) -> str | None:
    """The messages that count something, and those that list the values allowed."""
    if kind in ("enum", "literal_error"):
        expected = str(context["expected"])
        choices, _or, last = expected.rpartition(" or ")
        if choices:
            return _("Input should be {choices} or {last}").format(choices=choices, last=last)
        return _("Input should be {expected}").format(expected=expected)
    if kind == "string_too_short":
        count = context["min_length"]
        return ngettext(
            "String should have at least {count} character",
            "String should have at least {count} characters",
            count,
        ).format(count=count)
    if kind == "string_too_long":
        count = context["max_length"]
        return ngettext(
            "String should have at most {count} character",
            "String should have at most {count} characters",
            count,
        ).format(count=count)
    if kind == "too_short" and context.get("field_type") == "List":
        count = context["min_length"]
        return ngettext(
            "List should have at least {count} item after validation, not {actual}",
            "List should have at least {count} items after validation, not {actual}",
            count,
        ).format(count=count, actual=context["actual_length"])
    if kind == "too_long" and context.get("field_type") == "List":
        count = context["max_length"]
        return ngettext(
            "List should have at most {count} item after validation, not {actual}",
            "List should have at most {count} items after validation, not {actual}",
            count,
        ).format(count=count, actual=context["actual_length"])
    if kind == "decimal_max_digits":
        count = context["max_digits"]
        return ngettext(
            "Decimal input should have no more than {count} digit in total",
            "Decimal input should have no more than {count} digits in total",
            count,
        ).format(count=count)
    if kind == "decimal_max_places":
        count = context["decimal_places"]
        return ngettext(
            "Decimal input should have no more than {count} decimal place",
            "Decimal input should have no more than {count} decimal places",
            count,
        ).format(count=count)
    if kind == "decimal_whole_digits":
        count = context["whole_digits"]
        return ngettext(
            "Decimal input should have no more than {count} digit before the decimal point",
            "Decimal input should have no more than {count} digits before the decimal point",
            count,
        ).format(count=count)
    return None
