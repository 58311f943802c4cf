"""``{name}`` placeholders in labels, headers and footers: one reader for checking them and for filling them.

Checking and filling share this module so that whatever validation accepts
prints filled in: ``{page:>2}`` is refused as an unknown placeholder, not
printed literally.
"""

from __future__ import annotations

import re

PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def placeholders_in(template: str) -> list[str]:
    """Every ``{...}`` in the template, as written inside the braces; a brace left unpaired is reported as ``{``."""
    names = [match.group(1) for match in PLACEHOLDER.finditer(template)]
    if "{" in PLACEHOLDER.sub("", template) or "}" in PLACEHOLDER.sub("", template):
        names.append("{")
    return names


PAGE_NUMBER_NAMES = frozenset({"page", "pages", "page_of"})


def holds_page_number(template: str) -> bool:
    """Whether the template prints the page number (a slot that an inserted page keeps)."""
    return any(name in PAGE_NUMBER_NAMES for name in placeholders_in(template))


def fill(template: str, values: dict[str, str]) -> str:
    """Replace each known ``{name}``; validation has already refused unknown names."""
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)
