"""BCP 47 language codes: checked, and the order in which a language falls back."""

from __future__ import annotations

from ..project import LANGUAGE_FOLDER, SOURCE_LANGUAGE

# language[-Script][-REGION]: es, es-MX, zh-Hans, zh-Hant-TW, es-419 (the shape project.py finds folders by)
BCP47 = LANGUAGE_FOLDER


def language_problem(code: str) -> str | None:
    """Why a folder name is not a usable language code, or None."""
    if not BCP47.match(code):
        return (f"'{code}' is not a language code written the BCP 47 way "
                "(for example es, es-MX, zh-Hans: language in lowercase, region in capitals)")
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
