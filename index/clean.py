"""Strip page furniture from scraped article text, keeping a map back to the original.

Works line by line: a line is kept verbatim (trimmed, less a trailing photo credit or a
leading bullet) or dropped as furniture. Furniture is recognised by generic signs of web
pages, not by knowledge of any one site: share/cookie/consent lines, language menus,
bylines and datelines, short labels above the story, lines in another script than the
article's, repeated titles, and everything after a related-articles heading in the second
half of the page. Nothing is normalised here: the clean text is made of original slices.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from index.normalize import normalize
from index.types import CleanText, Segment, Span

_DATE = r"(\d{4}-\d{2}-\d{2}|[a-z]{3,9}\.? \d{1,2},? \d{4}|\d{1,2} [a-z]{3,9},? \d{4})"

# Each pattern names a kind of furniture that news sites in general print, never a phrase
# of one site; tests/test_clean.py runs every one on lines from other stories.
_FURNITURE = [
    # share and action buttons, alone on their line
    r"share( (this|on|via)\b.*)?", r"(print|e-?mail|tweet|comments?|reply|subscribe)",
    r"(advertisement|back to top|skip to (main )?content)",
    # comment counters: "Total comments: 0", "12 comments"
    r"(total )?comments?:?\s*\(?\d+\)?|\d+ comments?",
    # labels over the story and source or photo credits alone on a line
    r"category", r"publication date", r"(photo|image)( credit)?s?:\s*\S+( \S+){0,5}",
    r"source:\s*\S+( \S+){0,3}", r"source link",
    # a date label or a byline with its time stamps: "Updated: 3 May 2024", "By A Lee Posted: ..."
    rf"(date|posted|published|updated)\s*:?\s*{_DATE}\b.*", r"by [A-Z].{0,80}\b(posted|updated|published)\s*:.*",
    # labelled fields between bars: "Section: Sport | Views: 88 | Tags: ..."
    r"([\w ]{1,30}:[^|]*\|\s*){2,}.*",
    # cookie and consent banners, which speak to the reader about the site
    r".*\b(we|this (web)?site|our (web)?site)\b.{0,40}\buses? cookies\b.*",
    r".*\bby (using|continuing|staying|browsing)\b.{0,80}\byou\b.{0,40}\b(agree|consent|accept)\b.*",
    r"(accept|reject|allow|manage) (all )?cookies\b.*", r"(cookie|privacy|consent) (policy|settings|preferences)\b.*",
    # switches to another version or language of the site, and the site's logo
    r".*\b(prefer|switch to)\b.*\bversion of (our|this) (web)?site\b.*",
    r"(exit|view|switch to|go to) (the )?(mobile|desktop|full|classic) (version|site)", r"site (icon|logo)\b.{0,60}",
    # a dateline alone: "April 1, Moscow (RSTV)", "LONDON (Reuters) -"
    r"(\w+ \d{1,2},?\s+)?[A-Z][\w .'-]{1,40}\s*\([A-Za-z .]{2,20}\)\s*[—–-]?",
    # a language menu: "[English] [Français]"
    r"(\[[^\]]{1,40}\]\s*){2,}",
]  # fmt: skip
FURNITURE_LINE = re.compile("|".join(f"(?:{p})" for p in _FURNITURE), re.IGNORECASE)
_TAIL_START = re.compile(
    r"(more on (the|this) (topic|story)|related( articles| posts| stories| news)?|read (more|also)|see also"
    r"|you (may|might) also like|recommended( for you)?|latest news|more stories|most (read|popular))\s*:?",
    re.IGNORECASE,
)
_CREDIT_SUFFIX = re.compile(r"\s*(\b(file )?photo (by|courtesy)\b.*|\bcourtesy of\b[^.]*)$", re.I)
_BULLET_PREFIX = re.compile(r"^(#{1,6}|[•·▪‣◦*-])\s+")
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*$")
_HEADER_LABEL_WORDS = 6
_BODY_MIN_WORDS = 12


def _lines(text: str, start: int) -> Iterator[Span]:
    for match in re.finditer(r"[^\n]+", text[start:]):
        yield Span(start + match.start(), start + match.end())


def _script(char: str) -> str:
    name = unicodedata.name(char, "")
    return name.split(" ")[0] if name else "UNKNOWN"


def dominant_script(text: str) -> str:
    """The script most letters of `text` are written in. Example: "Hello, Мир" -> "LATIN"."""
    counts: dict[str, int] = {}
    for char in normalize(text):
        if char.isalpha():
            script = _script(char)
            counts[script] = counts.get(script, 0) + 1
    return max(counts, key=lambda script: counts[script]) if counts else "LATIN"


def count_words(line: str) -> int:
    """Words with a letter or digit in them. Example: "Digest - a story" -> 3."""
    return sum(1 for token in line.split() if any(c.isalnum() for c in token))


def is_body_paragraph(line: str) -> bool:
    return count_words(line) >= _BODY_MIN_WORDS and bool(_SENTENCE_END.search(line))


def _trim(text: str, span: Span) -> Span:
    """Narrow a line to its content: no outer space, credit suffix or bullet."""
    piece = text[span.start : span.end]
    piece = _CREDIT_SUFFIX.sub("", piece.rstrip()) if count_words(piece) > 8 else piece
    end = span.start + len(piece.rstrip())
    stripped = piece.lstrip()
    bullet = _BULLET_PREFIX.match(stripped)
    start = span.start + len(piece) - len(stripped) + (bullet.end() if bullet else 0)
    return Span(start, max(start, end))


class _Judge:
    """Decides line by line; keeps the state that spans lines (zones, seen lines)."""

    def __init__(self, text: str, body_start: int, title: str | None) -> None:
        self.script = dominant_script(text[body_start:])
        self.title = normalize(title).casefold() if title else None
        # A page with no paragraph-like line at all (a short note) has no header to strip.
        self.in_header = any(is_body_paragraph(line.strip()) for line in text[body_start:].splitlines())
        self.in_tail = False
        self.seen: set[str] = set()
        self.half = body_start + (len(text) - body_start) // 2

    def furniture(self, line: str, offset: int) -> bool:
        key = normalize(line).casefold()
        if self.in_tail or FURNITURE_LINE.fullmatch(line) or self._other_script(line):
            return True
        if offset >= self.half and _TAIL_START.fullmatch(line):
            self.in_tail = True
            return True
        if count_words(line) >= 4 and key in self.seen:
            return True
        if self.in_header and is_body_paragraph(line):
            self.in_header = False
        if self.in_header and key != self.title and count_words(line) <= _HEADER_LABEL_WORDS:
            return True
        self.seen.add(key)
        return False

    def _other_script(self, line: str) -> bool:
        letters = [c for c in normalize(line) if c.isalpha()]
        foreign = sum(1 for c in letters if _script(c) != self.script)
        return bool(letters) and foreign * 2 > len(letters)


def clean(original: str, body_start: int = 0, title: str | None = None) -> CleanText:
    """Drop furniture lines from `original[body_start:]`; join the rest with blank lines."""
    judge = _Judge(original, body_start, title)
    parts: list[str] = []
    segments: list[Segment] = []
    dropped: list[str] = []
    position = 0
    for span in _lines(original, body_start):
        line = original[span.start : span.end].strip()
        if not line:
            continue
        kept = _trim(original, span)
        # A line that is only a photo credit trims to nothing: furniture, not an empty paragraph.
        if judge.furniture(line, span.start) or kept.start == kept.end:
            dropped.append(line)
            continue
        if parts:
            parts.append("\n\n")
            position += 2
        parts.append(original[kept.start : kept.end])
        segments.append(Segment(position, kept.start, kept.end - kept.start))
        position += kept.end - kept.start
    return CleanText(text="".join(parts), segments=segments, dropped=dropped)
