"""Messages in the user's language: gettext, with catalogues kept as .po files.

Every string a person reads is written in English in the code, marked `_("...")` (or
`N_("...")` where it is kept in a table and translated where it is shown, `ngettext` where
it counts something), and translated through the catalogue of the language in use:
`sti_plan/locale/<lang>/LC_MESSAGES/sti-plan.po`, read with polib and handed to the
standard library's gettext. Placeholders are named and filled after translation:
`_("{value} in {period} ...").format(value=..., period=...)`, so that a translation may
put them in its own order.

The language is the process's: the command line picks it once (`use`), before any work.
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Mapping
from enum import Enum
from pathlib import Path

DOMAIN = "sti-plan"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
ENVIRONMENT = "STI_PLAN_LANG"
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")  # gettext's order


class Language(str, Enum):
    EN = "en"
    ZH = "zh"

    def __str__(self) -> str:
        return str(self.value)


_translations: gettext.NullTranslations = gettext.NullTranslations()
_language = Language.EN


def _(message: str) -> str:
    """`message` in the language in use."""
    return _translations.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form of a counted message that `count` takes, in the language in use."""
    return _translations.ngettext(singular, plural, count)


def pgettext(context: str, message: str) -> str:
    """`message` in the language in use, where the same English takes different words in
    different places (a column "Target" is 指标 in one table, 目标值 in another)."""
    return _translations.pgettext(context, message)


def N_(message: str) -> str:
    """A message marked for the catalogue, left as it is: translated where it is shown."""
    return message


def language() -> Language:
    return _language


def catalogue_path(lang: Language) -> Path:
    return LOCALE_DIR / str(lang) / "LC_MESSAGES" / f"{DOMAIN}.po"


def use(lang: Language) -> None:
    """Speak `lang` from now on (English needs no catalogue: its messages are the code's)."""
    global _translations, _language
    _language = lang
    if lang is Language.EN:
        _translations = gettext.NullTranslations()
        return
    import polib

    compiled = polib.pofile(str(catalogue_path(lang))).to_binary()
    _translations = gettext.GNUTranslations(io.BytesIO(compiled))


def language_of(tag: str) -> Language | None:
    """The language a locale or language tag names: zh_CN.UTF-8, zh-Hans, zh -> zh; en_US,
    C, POSIX -> en; anything else -> None."""
    tag = tag.strip().lower()
    if tag.startswith("zh"):
        return Language.ZH
    if tag.startswith("en") or tag in ("c", "posix") or tag.startswith("c."):
        return Language.EN
    return None


def from_environment(environ: Mapping[str, str]) -> tuple[Language, str | None]:
    """The language when no --lang is given: $STI_PLAN_LANG, else the locale as gettext
    reads it (the first of LANGUAGE, LC_ALL, LC_MESSAGES, LANG that is set decides):
    Chinese when it starts with zh, English otherwise. Also the value of $STI_PLAN_LANG
    when it names no language sti-plan speaks (it is then not used)."""
    chosen = environ.get(ENVIRONMENT, "").strip()
    if chosen:
        found = language_of(chosen)
        if found is not None:
            return found, None
    for name in LOCALE_VARIABLES:
        value = environ.get(name, "")
        if value:
            first = value.split(":")[0]
            return (Language.ZH if first.lower().startswith("zh") else Language.EN), (
                chosen or None
            )
    return Language.EN, chosen or None
