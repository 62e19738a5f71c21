"""Plan YAML -> Plan, with the line and column of every problem.

The YAML is composed into nodes (not loaded straight into Python objects) so
that each value keeps its position; pydantic's error locations are then mapped
back to those positions. Duplicate keys and aliases are refused outright.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .limits import MAX_PLAN_BYTES
from .model import REFERENCE_ERRORS, Plan
from .problems import Code, Problem, shown
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
    advice = "a plan has no need of more"
    with open_binary(path, "a plan file", MAX_PLAN_BYTES, advice) as handle:
        data = handle.read()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _Problems(
            Problem(
                Code.ENCODING_ERROR,
                str(path),
                f"not valid UTF-8 at byte {exc.start} (plan files are UTF-8)",
                line=line,
            )
        ) from None


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
            raise _Problems(Problem(Code.EMPTY_FILE, path, "the plan file is empty", line=1, col=1))
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
            Problem(Code.YAML_SYNTAX, path, message or "invalid YAML", line=line, col=col)
        ) from None
    except yaml.reader.ReaderError as exc:
        at = exc.position
        if _Loader is not yaml.SafeLoader:  # libyaml counts UTF-8 bytes, not characters
            at = len(text.encode("utf-8")[:at].decode("utf-8", errors="ignore"))
        line = text.count("\n", 0, at) + 1
        col = at - (text.rfind("\n", 0, at) + 1) + 1
        character = ord(text[at]) if at < len(text) else 0
        message = f"unacceptable character #x{character:04x} in a plan file"
        raise _Problems(Problem(Code.YAML_SYNTAX, path, message, line=line, col=col)) from None
    except yaml.YAMLError as exc:
        message = str(exc).splitlines()[0]
        raise _Problems(Problem(Code.YAML_SYNTAX, path, message)) from None
    except RecursionError:
        raise _Problems(Problem(Code.YAML_SYNTAX, path, "the YAML is nested too deeply")) from None
    except UnicodeEncodeError as exc:  # text given, not read: a lone surrogate
        line = text.count("\n", 0, exc.start) + 1
        col = exc.start - (text.rfind("\n", 0, exc.start) + 1) + 1
        message = f"unacceptable character #x{ord(text[exc.start]):04x} in a plan file"
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
                problem="aliases (*name) are not allowed in a plan file",
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
                    self._problem(Code.SCHEMA, "a key must be plain text", key_node)
                    continue
                key = str(key_node.value)
                if key in result:
                    first = self.marks[(*loc, key)][0]
                    self._problem(
                        Code.DUPLICATE_KEY,
                        f"duplicate key {shown(key)} (first at line {first})",
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
    message = f"{where}: {message}" if where else message
    return Problem(Code.SCHEMA, path, message, line=line, col=col)


def _dotted(loc: Loc) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _describe(error: Any) -> str:
    kind = error["type"]
    if not error["loc"] and kind in {"model_type", "model_attributes_type", "dict_type"}:
        return "a plan file must be a YAML mapping (id: …, title: …, targets: …)"
    if kind == "extra_forbidden":
        return f"unknown key {error['loc'][-1]!r}"
    if kind == "missing":
        return f"missing key {error['loc'][-1]!r}"
    message = str(error["msg"])
    if kind in REFERENCE_ERRORS:
        return message
    value = error.get("input")
    if isinstance(value, dict | list):
        return message
    return f"{message} (got {shown(value) if isinstance(value, str) else repr(value)})"
