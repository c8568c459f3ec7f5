"""Readable text and metadata from an HTML page, with the standard library's parser.

Scripts, styles, navigation, headers, footers, forms and asides are skipped; block elements
end a line. Offsets of an HTML article index this extracted text, which is what the
cleaner and citations see; the original bytes are still kept in the corpus.
It leaves out rendering: no CSS, no JavaScript, no remote resources are ever fetched.
"""

from __future__ import annotations

from html.parser import HTMLParser

_SKIP = {"script", "style", "noscript", "nav", "header", "footer", "form", "aside", "template",
         "svg", "iframe", "button", "select", "head"}  # fmt: skip
_BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section",
          "article", "blockquote", "figcaption", "pre", "ul", "ol", "table", "hr"}  # fmt: skip
_META = {
    "og:title": "title", "article:published_time": "published", "author": "byline",
    "og:site_name": "publisher", "og:url": "url", "article:author": "byline",
}  # fmt: skip


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0
        self.meta: dict[str, str] = {}
        self._in_title = False
        self._title: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP and tag != "head":
            self.skipping += 1
        if tag == "title":
            self._in_title = True
        if tag == "meta":
            self._read_meta(dict(attrs))
        if tag == "html" and (lang := dict(attrs).get("lang")):
            self.meta.setdefault("language", lang.split("-")[0].lower())
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP and tag != "head" and self.skipping:
            self.skipping -= 1
        if tag == "title":
            self._in_title = False
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self._title.append(data)
        elif not self.skipping:
            self.parts.append(data)

    def parse_marked_section(self, i: int, report: bool = True) -> int:
        """A malformed `<![...` section, on which the standard parser raises AssertionError,
        is skipped up to the next '>' as browsers skip a bogus comment. Example: "<![x]>a" -> "a"."""
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:
            end = self.rawdata.find(">", i + 3)
            return -1 if end < 0 else end + 1

    def _read_meta(self, attrs: dict[str, str | None]) -> None:
        key = (attrs.get("property") or attrs.get("name") or "").lower()
        if key in _META and attrs.get("content"):
            self.meta.setdefault(_META[key], str(attrs["content"]).strip())

    @property
    def title(self) -> str | None:
        return " ".join("".join(self._title).split()) or None


def html_to_text(markup: str) -> tuple[str, dict[str, str]]:
    """Visible text of a page, one block per line, and the metadata its head declares.

    Example: "<title>T</title><p>A <b>b</b></p><script>x</script>" -> ("A b", {"title": "T"})
    """
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    meta = dict(parser.meta)
    if parser.title:
        meta.setdefault("title", parser.title)
    if "published" in meta:
        meta["published"] = meta["published"][:10]
    return "\n".join(line for line in lines if line), meta
