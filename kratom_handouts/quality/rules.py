"""Health-literacy rules (from CDC's Clear Communication Index and AHRQ's PEMAT) and print rules.

Each rule is a small function returning problems; ``HANDOUT_RULES`` and
``LAYOUT_RULES`` list them, so a newcomer can see every rule in one place.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from .. import inline
from ..blocks import Bullets, Callout, Checklist, Contacts, Heading, Image, Steps, block_texts
from ..errors import Origin, Problem
from ..model import Handout, Layout
from .readability import WORD, Readability, split_sentences

MAX_LIST_ITEMS = 7
MAX_SENTENCE_WORDS = 25
MAX_SECTION_WORDS = 200  # words before the first heading, or under one heading
REVIEW_WARNING_DAYS = 30

# First words of a sentence that asks the reader to act (PEMAT: "at least one action").
ACTION_VERBS = {
    "en": {"call", "talk", "ask", "tell", "text", "bring", "go", "visit", "write", "make", "keep", "get", "check",
           "stay", "stop", "take", "use", "look", "find", "learn", "plan", "set", "reach", "contact", "chat"},
    "es": {"llame", "hable", "pregunte", "dígale", "diga", "envíe", "traiga", "vaya", "visite", "escriba", "haga",
           "mantenga", "busque", "consulte", "pida", "hágale", "revise", "planee", "comuníquese", "tome", "use",
           "guarde"},
}


@dataclass(frozen=True)
class Context:
    handout: Handout
    readability: Readability
    today: dt.date


def _words(text: str) -> int:
    return len(WORD.findall(inline.plain_text(text)))


def summary_at_top(ctx: Context) -> list[Problem]:
    sentences = split_sentences(ctx.handout.summary.value)
    if len(sentences) > 2 or _words(ctx.handout.summary.value) > 40:
        return [Problem(ctx.handout.summary.origin,
                        "the summary should be the one main message: two sentences and 40 words at most", "warning")]
    return []


def call_to_action(ctx: Context) -> list[Problem]:
    # A translation not finished is read with its untranslated parts in the source language: their verbs count.
    languages = {lang.split("-")[0] for lang in (ctx.handout.lang, *(lang for _, lang in ctx.handout.foreign))}
    if not languages <= ACTION_VERBS.keys():
        return []  # a language we know no verbs of: nothing to hold it to
    verbs = set().union(*(ACTION_VERBS[lang] for lang in languages))
    for sentence in ctx.readability.sentences:
        first = WORD.findall(sentence.text)[:1]
        if first and first[0].lower() in verbs:
            return []
    if any(isinstance(block, Steps) for block in ctx.handout.body):
        return []
    return [Problem(Origin(ctx.handout.file), "no call to action: tell the reader what to do (a sentence starting "
                                              "with a verb such as 'Call' or 'Talk', or a steps list)")]


def short_lists(ctx: Context) -> list[Problem]:
    problems = []
    for block in ctx.handout.body:
        items = (block.items if isinstance(block, (Bullets, Steps, Checklist))
                 else block.bullets if isinstance(block, Callout) else ())
        if len(items) > MAX_LIST_ITEMS:
            problems.append(Problem(items[0].origin, f"a list of {len(items)} items; keep lists to {MAX_LIST_ITEMS} "
                                                     "or fewer (split it under two headings)"))
    return problems


def sections_under_headings(ctx: Context) -> list[Problem]:
    body = ctx.handout.body
    if not any(isinstance(block, Heading) for block in body):
        return [Problem(Origin(ctx.handout.file), "no headings: break the text into sections under headings")]
    problems = []
    words, start = 0, None
    for block in body:
        if isinstance(block, Heading):
            words, start = 0, block
            continue
        words += sum(_words(t.value) for t in block_texts(block))
        if words > MAX_SECTION_WORDS:
            where = start.text.origin if start else ctx.handout.title.origin
            problems.append(Problem(where,
                                    f"a section of more than {MAX_SECTION_WORDS} words; add a heading to break it up",
                                    "warning"))
            words = -10**9  # one report per section
    return problems


def long_sentences(ctx: Context) -> list[Problem]:
    return [Problem(s.origin, f"a sentence of {s.words} words (keep to {MAX_SENTENCE_WORDS} or fewer): \"{s.text}\"",
                    "warning")
            for s in ctx.readability.sentences if s.words > MAX_SENTENCE_WORDS]


def sources_present(ctx: Context) -> list[Problem]:
    return [] if ctx.handout.sources else [
        Problem(Origin(ctx.handout.file), "no sources: list where the facts come from")]


def help_lines_present(ctx: Context) -> list[Problem]:
    if any(isinstance(block, Contacts) for block in ctx.handout.body):
        return []
    return [Problem(Origin(ctx.handout.file),
                    "no help lines: add a contacts block (for example SAMHSA's National Helpline and 988)")]


# Opioids and sedatives, and the wording that limits a warning to the ones *not* prescribed. "Do not mix kratom
# with opioids not prescribed to you" reads as "prescribed opioids are fine with kratom", which is unsafe: any
# opioid or sedative is more dangerous with kratom. Per language; a language without patterns is not checked.
DEPRESSANTS = {
    "en": re.compile(r"\b(opioids?|sedatives?|sleeping pills?|benzodiazepines?|benzos?|pain (?:pills?|medicines?)|"
                     r"methadone|fentanyl|heroin)\b", re.IGNORECASE),
    "es": re.compile(r"\b(opioides?|sedantes?|pastillas para dormir|benzodiacepinas?|analgésicos? opioides?|metadona|"
                     r"fentanilo|heroína)\b", re.IGNORECASE),
}
PRESCRIBED_EXCEPTION = {  # "opioids not prescribed to you": the warning spares the prescribed ones
    "en": re.compile(r"\b(?:not|never|n't)\s+(?:been\s+)?prescribed\b|\bunprescribed\b|\bnon-?prescribed\b",
                     re.IGNORECASE),
    "es": re.compile(r"\bno\s+(?:se\s+)?(?:le\s+|les\s+)?(?:(?:fueron|han sido|ha sido|hayan sido|sean|son|estén)\s+)?"
                     r"(?:recetad|prescrit)\w*|\bno\s+(?:le\s+|les\s+)?(?:recetó|recetaron|recetaran|haya recetado)\b",
                     re.IGNORECASE),
}
PRESCRIBED_SAFE = {  # "prescribed opioids are safe": wrong unless the sentence denies it
    "en": re.compile(r"\bprescribed\b[^.]{0,40}\b(?:safe|okay|ok|fine|all right)\b", re.IGNORECASE),
    "es": re.compile(r"\b(?:recetad|prescrit)\w*\b[^.]{0,40}\b(?:seguros?|seguras?|sin peligro)\b", re.IGNORECASE),
}
NEGATION = {
    "en": re.compile(r"\b(?:not|never|no)\b|n't\b", re.IGNORECASE),
    "es": re.compile(r"\b(?:no|ni|nunca|tampoco|jamás)\b", re.IGNORECASE),
}


def suggests_prescribed_is_safe(sentence: str, lang: str) -> bool:
    """True for a sentence that spares prescribed opioids or sedatives from a warning, or calls them safe."""
    base = lang.split("-")[0]
    if base not in DEPRESSANTS or not DEPRESSANTS[base].search(sentence):
        return False
    if PRESCRIBED_EXCEPTION[base].search(sentence):
        return True
    return bool(PRESCRIBED_SAFE[base].search(sentence)) and not NEGATION[base].search(sentence)


def no_prescribed_exception(ctx: Context) -> list[Problem]:
    """No sentence may suggest that a prescribed opioid or sedative is safe to combine with kratom."""
    return [Problem(s.origin, f"this sentence suggests prescribed opioids or sedatives are safe with kratom (a warning "
                              f"limited to drugs not prescribed, or a 'prescribed ... safe'); say that any of them is "
                              f"more dangerous with kratom: \"{s.text}\"")
            for s in ctx.readability.sentences if suggests_prescribed_is_safe(s.text, ctx.handout.lang)]


# Alt text that says nothing about the picture: a screen reader would read it out as it is.
USELESS_ALT = {"image", "picture", "photo", "graphic", "figure", "logo", "img", "imagen", "foto", "gráfico", "figura"}


def useful_alt_text(ctx: Context) -> list[Problem]:
    """An image's alt text must say what it shows: not empty, not its file name, not just "image"."""
    problems = []
    for block in ctx.handout.body:
        if not isinstance(block, Image):
            continue
        alt = block.alt.value.strip()
        words = alt.lower().strip(" .")
        if words in USELESS_ALT or words in (block.path.name.lower(), block.path.stem.lower()) or len(words) < 3:
            problems.append(Problem(block.alt.origin, f"the alt text '{alt}' does not say what the picture shows; "
                                                      "describe it in a short sentence for people who cannot see it"))
    return problems


def review_dates(ctx: Context) -> list[Problem]:
    handout = ctx.handout
    if handout.updated > ctx.today:
        return [Problem(handout.origin_of("updated"), f"'updated' ({handout.updated}) is in the future")]
    if handout.clinical_review is not None and handout.clinical_review.date > ctx.today:
        return [Problem(handout.origin_of("clinical_review"),
                        f"the clinical review date ({handout.clinical_review.date}) is in the future")]
    where = handout.origin_of("next_review")
    if handout.next_review < ctx.today:
        return [Problem(where, f"the review was due on {handout.next_review}: review the content and update the dates")]
    if handout.next_review <= ctx.today + dt.timedelta(days=REVIEW_WARNING_DAYS):
        return [Problem(where, f"the review is due on {handout.next_review}, within {REVIEW_WARNING_DAYS} days",
                        "warning")]
    return []


HANDOUT_RULES: list[Callable[[Context], list[Problem]]] = [
    summary_at_top, call_to_action, short_lists, sections_under_headings, long_sentences, sources_present,
    help_lines_present, review_dates, no_prescribed_exception, useful_alt_text,
]


# --- print rules -------------------------------------------------------------------

MIN_BODY_PT = 12.0
MIN_LARGE_PRINT_PT = 18.0
PAGE_BACKGROUND = "#ffffff"


def relative_luminance(hex_color: str) -> float:
    """WCAG 2.x relative luminance of an sRGB colour written #rrggbb."""
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_color[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_ratio(foreground: str, background: str) -> float:
    lighter, darker = sorted((relative_luminance(foreground), relative_luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def is_large_text(size: float, bold: bool) -> bool:
    """WCAG's large text: 18 pt, or 14 pt bold."""
    return size >= 18 or (bold and size >= 14)


def colour_pairs(layout: Layout) -> list[tuple[str, str, str | None, float, bool]]:
    """Every (what, text colour name, background colour name, size, bold) the layout draws; None is the white page."""
    body = layout.body_size
    small = body if layout.large_print else max(body * 0.8, 10.0)
    pairs = [
        ("body text", "text", None, body, False),
        ("headings", "heading", None, body * layout.heading_scale, True),
        ("the title", "heading", None, body * layout.title_scale, True),
        ("links", "link", None, body, False),
        ("header, footer and sources", "muted", None, small, False),
        ("the summary box text", "text", "summary_background", body, False),
        ("the summary box label", "heading", "summary_background", body, True),
        ("table header text", "text", "summary_background", body, True),
    ]
    for kind in ("info", "tip", "warning", "emergency"):
        pairs.append((f"{kind} box text", "text", f"{kind}_background", body, False))
        pairs.append((f"{kind} box title", "heading", f"{kind}_background", body, True))
        pairs.append((f"{kind} box links", "link", f"{kind}_background", body, False))
    return pairs


def body_size(layout: Layout) -> list[Problem]:
    minimum = MIN_LARGE_PRINT_PT if layout.large_print else MIN_BODY_PT
    if layout.body_size < minimum:
        kind = "a large-print layout" if layout.large_print else "a layout"
        return [Problem(Origin(layout.file),
                        f"body text is {layout.body_size:g} pt; {kind} needs {minimum:g} pt or more")]
    return []


def contrast(layout: Layout) -> list[Problem]:
    """Reported where the colour was set (the brand file, say), once for all the layouts that share it."""
    problems = []
    for what, fore_name, back_name, size, bold in colour_pairs(layout):
        foreground = getattr(layout.colors, fore_name)
        background = getattr(layout.colors, back_name) if back_name else PAGE_BACKGROUND
        ratio = contrast_ratio(foreground, background)
        needed = 3.0 if is_large_text(size, bold) else 4.5
        if ratio < needed:
            origin = (layout.color_origins.get(fore_name) or layout.color_origins.get(back_name or "")
                      or Origin(layout.file))
            problems.append(Problem(origin, f"{what}: {foreground} on {background} has a contrast of "
                                            f"{ratio:.2f}:1; it needs {needed:g}:1 (WCAG 2.x)"))
    return problems


# The shipped brand's sample clinic: a clinic must not print it by accident.
_SAMPLE_NAME = re.compile(r"\bplaceholder\b|\bsample clinic\b", re.IGNORECASE)


def sample_clinic(layout: Layout) -> list[Problem]:
    """The brand's clinic is still the sample one: a warning, where it is written (once for all layouts)."""
    name = layout.clinic.name
    if not _SAMPLE_NAME.search(name.value):
        return []
    return [Problem(name.origin, f"the clinic is still the sample '{name.value}': put your clinic's name, phone, "
                                 "address, website and logo here before printing for patients", "warning")]


LAYOUT_RULES: list[Callable[[Layout], list[Problem]]] = [body_size, contrast, sample_clinic]


def check_handout(handout: Handout, readability: Readability, today: dt.date) -> list[Problem]:
    context = Context(handout, readability, today)
    return [problem for rule in HANDOUT_RULES for problem in rule(context)]


def check_layout(layout: Layout) -> list[Problem]:
    return [problem for rule in LAYOUT_RULES for problem in rule(layout)]
