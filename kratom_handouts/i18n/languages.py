"""BCP 47 language codes: checked, and the order in which a language falls back."""

from __future__ import annotations

from ..project import LANGUAGE_FOLDER, SOURCE_LANGUAGE

# language[-Script][-REGION]: es, es-MX, zh-Hans, zh-Hant-TW, es-419 (the shape project.py finds folders by)
BCP47 = LANGUAGE_FOLDER


NOT_A_LANGUAGE = {"und": "an undetermined language", "mul": "several languages", "zxx": "no language at all",
                  "mis": "a language without a code"}


def language_problem(code: str) -> str | None:
    """Why a folder name is not a usable language code, or None."""
    if not BCP47.match(code):
        return (f"'{code}' is not a language code written the BCP 47 way "
                "(for example es, es-MX, zh-Hans: language in lowercase, region in capitals)")
    if code.split("-")[0] in NOT_A_LANGUAGE:
        return (f"'{code}' is not a language: BCP 47 keeps '{code.split('-')[0]}' for "
                f"{NOT_A_LANGUAGE[code.split('-')[0]]}; name the language the handouts are in")
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(code, sep="-")
    except (UnknownLocaleError, ValueError):
        return f"'{code}' is not a known language code (for example es, es-MX, vi, zh-Hans)"
    return None


def fallback_chain(lang: str) -> list[str]:
    """The language, then its base languages, most specific first: zh-Hant-TW -> zh-Hant -> zh.

    The source language is not in the chain: falling back to it is the
    caller's decision (``--allow-fallback``).
    """
    parts = lang.split("-")
    chain = ["-".join(parts[:n]) for n in range(len(parts), 0, -1)]
    return [code for code in chain if code != SOURCE_LANGUAGE]


# Languages written right to left (and the scripts that are), by BCP 47 language and script subtag.
RIGHT_TO_LEFT_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "ps", "sd", "ug", "yi", "dv", "ckb"})
RIGHT_TO_LEFT_SCRIPTS = frozenset({"Arab", "Hebr", "Thaa", "Syrc", "Nkoo", "Adlm", "Rohg"})


def direction_of(lang: str) -> str:
    """"rtl" or "ltr" for a language code (a script subtag decides first: az-Arab is right to left)."""
    parts = lang.split("-")
    scripts = [part for part in parts[1:] if len(part) == 4 and part.isalpha()]
    if scripts:
        return "rtl" if scripts[0] in RIGHT_TO_LEFT_SCRIPTS else "ltr"
    return "rtl" if parts[0] in RIGHT_TO_LEFT_LANGUAGES else "ltr"


def english_name(lang: str) -> str:
    """The language's name in English, for staff pages: "Spanish", "Chinese (Simplified)"."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(lang, sep="-").get_display_name("en") or lang
    except (UnknownLocaleError, ValueError):
        return lang


def script_of(lang: str) -> str:
    """The ISO 15924 script a language is written in: its script subtag, or the likeliest (CLDR): zh-TW -> Hant."""
    parts = lang.split("-")
    scripts = [part for part in parts[1:] if len(part) == 4 and part.isalpha()]
    if scripts:
        return scripts[0].title()
    from babel.core import get_global

    likely = get_global("likely_subtags")
    regions = [part for part in parts[1:] if len(part) in (2, 3) and part.isalnum()]
    for key in ([f"{parts[0]}_{regions[0]}"] if regions else []) + [parts[0]]:
        found = likely.get(key)
        if found:
            subtags = found.split("_")
            if len(subtags) > 1 and len(subtags[1]) == 4:
                return str(subtags[1])
    return "Latn"


def font_keys(lang: str) -> list[str]:
    """What a layout's per-language fonts may be listed under, most specific first: zh-Hant-TW, zh-Hant, zh, Hant."""
    parts = lang.split("-")
    prefixes = ["-".join(parts[:n]) for n in range(len(parts), 0, -1)]
    script = script_of(lang)
    # The tag, its prefixes written in the same script, the script, then the rest (zh-TW: zh-TW, Hant, zh).
    first = [prefixes[0]] + [p for p in prefixes[1:] if script_of(p) == script]
    return first + [script] + [p for p in prefixes if p not in first]


# Chinese and Japanese write full-width marks with no space after them.
_FULL_WIDTH = frozenset({"Hans", "Hant", "Jpan"})


def sentence(text: str, lang: str) -> str:
    """``text`` ended as a sentence in ``lang``: "Updated." or "更新。" (left alone if it already ends so)."""
    if text.endswith((".", "。", "!", "?", "！", "？", "؟")):
        return text
    return text + ("。" if script_of(lang) in _FULL_WIDTH else ".")


def labelled(label: str, value: str, lang: str) -> str:
    """"Label: value", with the language's colon: "下次审核：2027年11月20日"."""
    return f"{label}：{value}" if script_of(lang) in _FULL_WIDTH else f"{label}: {value}"


def joined(sentences: list[str], lang: str) -> str:
    """Sentences one after another, with a space between them where the language puts one."""
    return ("" if script_of(lang) in _FULL_WIDTH else " ").join(sentences)
