"""``{name}`` placeholders in labels, headers and footers: one reader for checking them and for filling them.

Checking and filling share this module so that whatever validation accepts
prints filled in: ``{page:>2}`` is refused as an unknown placeholder, not
printed literally.
"""

from __future__ import annotations

import re
from collections.abc import Collection

PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
UNPAIRED = "{"  # what placeholders_in gives for a brace without its pair


def placeholders_in(template: str) -> list[str]:
    """Every ``{...}`` in the template, as written inside the braces; a brace left unpaired is reported as ``{``."""
    names = [match.group(1) for match in PLACEHOLDER.finditer(template)]
    if "{" in PLACEHOLDER.sub("", template) or "}" in PLACEHOLDER.sub("", template):
        names.append(UNPAIRED)
    return names


def placeholder_problem(template: str, allowed: Collection[str]) -> str | None:
    """What is wrong with the template's placeholders, said after the name of the text; None if nothing."""
    names = placeholders_in(template)
    if UNPAIRED in names:
        example = f", like {{{next(iter(allowed))}}}" if allowed else ""
        return ("has a '{' or '}' without its pair: a placeholder is written with one brace on each side"
                f"{example}, and a brace cannot be printed as text")
    for name in names:
        if name not in allowed:
            hint = ("use one of: " + ", ".join("{" + a + "}" for a in allowed)) if allowed else "this text takes none"
            return f"has an unknown placeholder {{{name}}}; {hint}"
    return None


PAGE_NUMBER_NAMES = frozenset({"page", "pages", "page_of"})


def holds_page_number(template: str) -> bool:
    """Whether the template prints the page number (a slot that an inserted page keeps)."""
    return any(name in PAGE_NUMBER_NAMES for name in placeholders_in(template))


def fill(template: str, values: dict[str, str]) -> str:
    """Replace each known ``{name}``; validation has already refused unknown names."""
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)
