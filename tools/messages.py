"""The catalogue's upkeep: every message the code marks, and the Chinese catalogue kept in step.

    python tools/messages.py          add the new messages to sti_plan/locale/zh/.../sti-plan.po
                                      (untranslated), mark the ones no longer used obsolete
    python tools/messages.py --check  list the messages with no translation; exit 1 if any

Messages are the string literals passed to _(), N_() and ngettext() in sti_plan/.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "sti_plan"
CATALOGUE = PACKAGE / "locale" / "zh" / "LC_MESSAGES" / "sti-plan.po"
MARKERS = {"_": 1, "N_": 1, "ngettext": 2, "pgettext": 2}
Key = tuple[str | None, str, str | None]  # context, msgid, msgid_plural


def extract(package: Path = PACKAGE) -> dict[Key, list[str]]:
    """(context, msgid, msgid_plural) -> where it is used (path:line), for every marked
    literal."""
    found: dict[Key, list[str]] = {}
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            arity = MARKERS.get(node.func.id)
            if arity is None:
                continue
            literals = [
                a.value
                for a in node.args[:arity]
                if isinstance(a, ast.Constant) and isinstance(a.value, str)
            ]
            if len(literals) != arity:
                where = f"{path.relative_to(ROOT)}:{node.lineno}"
                raise SystemExit(f"{where}: {node.func.id}() needs string literals")
            if node.func.id == "pgettext":
                key: Key = (literals[0], literals[1], None)
            else:
                key = (None, literals[0], literals[1] if arity == 2 else None)
            found.setdefault(key, []).append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def update(catalogue: Path = CATALOGUE) -> None:
    import polib

    po = polib.pofile(str(catalogue)) if catalogue.exists() else polib.POFile()
    if not catalogue.exists():
        po.metadata = {
            "Project-Id-Version": "sti-plan",
            "Language": "zh",
            "MIME-Version": "1.0",
            "Content-Type": "text/plain; charset=UTF-8",
            "Content-Transfer-Encoding": "8bit",
            "Plural-Forms": "nplurals=1; plural=0;",
        }
    messages = extract()
    known = {_key(e): e for e in po}
    for key, places in messages.items():
        entry = known.get(key)
        if entry is None:
            context, singular, plural = key
            entry = polib.POEntry(msgid=singular, msgstr="", msgctxt=context)
            if plural is not None:
                entry.msgid_plural = plural
                entry.msgstr_plural = {0: ""}
            po.append(entry)
        # Files, not lines: a catalogue that does not change with every edit of the code.
        entry.occurrences = [
            (path, "") for path in dict.fromkeys(p.rsplit(":", 1)[0] for p in places)
        ]
        entry.obsolete = False
        if "{" in key[1]:
            entry.flags = sorted(set(entry.flags) | {"python-brace-format"})
    for key, entry in known.items():
        if key not in messages:
            entry.obsolete = True
    po.save(str(catalogue))


def untranslated(catalogue: Path = CATALOGUE) -> list[str]:
    import polib

    po = polib.pofile(str(catalogue))
    known = {_key(e): e for e in po if not e.obsolete}
    missing = []
    for key in extract():
        entry = known.get(key)
        done = entry is not None and (
            all(entry.msgstr_plural.values()) if key[2] is not None else bool(entry.msgstr)
        )
        if not done:
            missing.append(key[1] if key[0] is None else f"{key[0]}|{key[1]}")
    return missing


def _key(entry: object) -> Key:
    return (
        getattr(entry, "msgctxt", None) or None,
        getattr(entry, "msgid", ""),
        getattr(entry, "msgid_plural", None) or None,
    )


if __name__ == "__main__":
    if sys.argv[1:] == ["--check"]:
        missing = untranslated()
        for message in missing:
            print(message)
        sys.exit(1 if missing else 0)
    update()
