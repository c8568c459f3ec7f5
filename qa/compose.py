"""Compose a short answer from scored evidence: a direct lead, then up to two supports.

`Composer` is the rule engine's answer: it abstains (`ABSTAIN_TEXT`) when the best evidence scores
too low, leads with the latest stance when the evidence disagrees over time (the earlier ones
follow, dated, as earlier), and otherwise with the best sentence, said as the question asks: a
when-question's date first, a how-many question's figure, a yes/no verdict on a stance. Every
`[n]` is a citation whose quote is the sentence verbatim at its offsets, dateline left out.

It leaves out how a sentence is worded (`qa.phrasing`), which date answers a when-question
(`qa.answer_dates`) and which sentences support the lead (`qa.supports`).
"""

from __future__ import annotations

import re

from qa.answer_types import ABSTAIN_TEXT, Citation
from qa.conflict import order_by_stance
from qa.dates import dateline_end
from qa.evidence import Evidence
from qa.phrasing import cited, claim_text, dated_claim, earlier_claim, latest_of_all
from qa.request_types import Question, QuestionType
from qa.settings import ComposeSettings
from qa.supports import choose_supports

_STILL = re.compile(r"\bstill\b", re.I)
_CONFIRM_Q = re.compile(r"\b(confirm\w*|admit\w*|acknowledg\w*|own(ed)? up)\b", re.I)
_DENY_Q = re.compile(r"\b(den(y|ies|ied|ying)|reject\w*|dismiss\w*)\b", re.I)
_QUANTITY_STOP = (
    r"to|of|in|on|from|at|by|for|with|through|into|had|have|has|were|was|are|is|be|been|being|would|will|could"
    r"|should|may|might|can|did|do|does|that|which|who"
)
_QUANTITY = re.compile(
    r"\b((?:about|around|some|more than|over|nearly|approximately|up to|at least|almost)\s+)?"
    rf"(\d[\d,.]*(?:\s+(?:million|thousand))?)((?:\s+(?!(?:{_QUANTITY_STOP})\b)[\w“”\"'-]+){{1,3}})",
    re.I,
)


class Composer:
    """Builds the answer text and its citations from evidence, best first."""

    def __init__(self, settings: ComposeSettings) -> None:
        self.settings = settings

    def compose(self, asked: Question, evidence: list[Evidence]) -> tuple[str, list[Citation]]:
        """The answer from evidence ranked best first; its wording reads the question with its context."""
        if not evidence or evidence[0].score < self.settings.min_score:
            return ABSTAIN_TEXT, []
        lead, earlier = order_by_stance(evidence, asked, self.settings.conflict_margin)
        question, kind = asked.with_context, asked.type
        if kind == "how_many" and not earlier:
            lead = next((e for e in evidence[:2] if e.says_unknown or self._quantity(question, e)), lead)
        citations: list[Citation] = []
        parts = [self._lead(question, kind, lead, self._cite(lead, citations), changed=bool(earlier))]
        if earlier:
            parts += [self._earlier(e, self._cite(e, citations)) for e in earlier]
            parts.append(latest_of_all(lead))
        else:
            supports = self._supports(question, evidence, lead, kind)
            parts += [cited(claim_text(e), self._cite(e, citations)) for e in supports]
        return " ".join(parts), citations

    def _lead(self, question: str, kind: QuestionType, e: Evidence, n: int, changed: bool = False) -> str:
        claim = claim_text(e)
        if kind == "when":
            return self._when(question, e, n)
        if kind == "how_many" and not e.says_unknown and (quantity := self._quantity(question, e)):
            return cited(f"{quantity}{self._according(e)}", n)
        if kind == "yes_no" and (verdict := self._verdict(question, e, changed)):
            return f"{verdict} {cited(claim, n)}"
        return cited(claim, n)

    def _when(self, question: str, e: Evidence, n: int) -> str:
        return dated_claim(question, e, n)

    @staticmethod
    def _quantity(question: str, e: Evidence) -> str | None:
        """The figure of the sentence that best fits the question's words; a date's day is not a figure."""
        words = set(re.findall(r"\w+", question.lower()))
        in_date = [(d.start, d.end) for d in e.dates]
        matches = [m for m in _QUANTITY.finditer(e.text) if not any(s <= m.start(2) < end for s, end in in_date)]
        if not matches:
            return None
        best = max(matches, key=lambda m: len(words & set(re.findall(r"\w+", m.group(3).lower()))))
        phrase = best.group(0).strip()
        return phrase[0].upper() + phrase[1:]

    @staticmethod
    def _according(e: Evidence) -> str:
        return f", according to {e.speaker}" if e.speaker else ""

    @staticmethod
    def _verdict(question: str, e: Evidence, changed: bool) -> str | None:
        if _STILL.search(question):
            return "No." if changed else None
        asks_confirm, asks_deny = bool(_CONFIRM_Q.search(question)), bool(_DENY_Q.search(question))
        if asks_confirm and e.stance in ("confirms", "denies"):
            return "Yes." if e.stance == "confirms" else "No."
        if asks_deny and e.stance in ("confirms", "denies"):
            return "Yes." if e.stance == "denies" else "No."
        return None

    def _earlier(self, e: Evidence, n: int) -> str:
        """The superseded stance, its date first and said where it comes from: "Earlier, on 21 October 2024
        (the date of the report), Acme denied ..."."""
        return earlier_claim(e, n)

    def _supports(self, question: str, evidence: list[Evidence], lead: Evidence, kind: QuestionType) -> list[Evidence]:
        """Sentences that add to the lead: from its own article, or from another that gives the same
        answer (the same figure, date, name or place), so a support never cites an unrelated report."""
        return choose_supports(question, evidence, lead, kind, self.settings)

    @staticmethod
    def _cite(e: Evidence, citations: list[Citation]) -> int:
        """The citation of the sentence, without its dateline (the quote is still verbatim at its offsets)."""
        meta, skip = e.article.meta, dateline_end(e.text)
        for citation in citations:
            if citation.doc_id == meta.doc_id and citation.start == e.sentence.start + skip:
                return citation.n
        n = len(citations) + 1
        citations.append(Citation(n=n, doc_id=meta.doc_id, title=meta.title, publisher=meta.publisher,
                                  published=meta.published, url=meta.url, quote=e.text[skip:],
                                  start=e.sentence.start + skip, end=e.sentence.end))  # fmt: skip
        return n
