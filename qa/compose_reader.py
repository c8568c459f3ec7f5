"""Compose an answer from the reader's spans: the span first, inside the sentence that holds it.

The lead is the best span's sentence, quoted verbatim and cited `[1]`, with the span stated
before it when it is shorter than the sentence ("About 12,000 soldiers. South Korea's spy
agency said ..."). A when-answer states the sentence's date that the span holds (among those in
the tense the question asks about), resolved against the article's date (`qa.phrasing.dated_claim`).
Other passages whose spans give the same answer (normalised) corroborate it as `[2]`, `[3]` (a
reprinted sentence is stated once: "... [1] [2]"); passages that give another answer are not
cited. A question about a position leads with the latest stance and tells the superseded one as
earlier (`qa.conflict`). It leaves out whether to answer at all (the threshold, `qa.answerer`).
"""

from __future__ import annotations

import math
import re
import string

from qa.answer_types import ABSTAIN_TEXT, Citation, Reply, Span
from qa.compose import Composer
from qa.dates import DateMention, dateline_end
from qa.evidence import Evidence
from qa.phrasing import cited, claim_text, dated_claim, latest_of_all
from qa.questions import QuestionType
from qa.read import ReadSpan
from qa.settings import ComposeSettings, ReaderSettings
from qa.stance import POSITIONS

_ARTICLES = re.compile(r"\b(a|an|the)\b")
_DATE_PHRASING = Composer(ComposeSettings())  # its when/earlier phrasing reads no settings
_MOST_OF_SENTENCE = 0.6  # a span this share of its sentence is the sentence: stating it first repeats it


def normalise_answer(text: str) -> str:
    """SQuAD's answer normalisation. Example: "The 12,000 Troops." -> "12000 troops"."""
    text = "".join(c for c in text.lower() if c not in string.punctuation)
    return " ".join(_ARTICLES.sub(" ", text).split())


def same_answer(a: str, b: str) -> bool:
    """Whether two spans give the same answer: equal once normalised, or one holds the other whole.

    Example: ("12,000 troops", "about 12,000 troops") -> True; ("Kursk", "Kyiv") -> False
    """
    x, y = normalise_answer(a), normalise_answer(b)
    if not x or not y:
        return False
    return x == y or f" {x} " in f" {y} " or f" {y} " in f" {x} "


def confidence(margin: float, settings: ReaderSettings) -> float:
    """How often answers at this margin were right on the dev sets (Platt scaling, `evals.calibrate`).

    Example: margin 4.0 with slope 0.25 and intercept -1.0 -> 0.5.
    """
    return 1.0 / (1.0 + math.exp(-(settings.confidence_slope * margin + settings.confidence_intercept)))


def abstain(margin: float | None, settings: ReaderSettings) -> Reply:
    return Reply(ABSTAIN_TEXT, [], None, confidence(margin, settings) if margin is not None else 0.0, margin)


def compose(
    question: str, kind: QuestionType, best: ReadSpan, spans: list[ReadSpan], stance: tuple[Evidence, list[Evidence]]
    | None, settings: ReaderSettings,
) -> Reply:  # fmt: skip
    """The answer led by `best` (or, for a changed position, by the latest stance) with its citations."""
    citations: list[Citation] = []
    if stance is not None and (stance[1] or stance[0].stance in POSITIONS):
        return _position(question, kind, best, stance, citations, settings)
    quote = _quote_evidence(best)
    lead = _lead(question, kind, best, quote, Composer._cite(quote, citations))
    supports = _corroborating(best, spans, settings.threshold)[: settings.max_supports]
    parts = _with_supports(lead, claim_text(quote), supports, citations)
    return Reply(" ".join(parts), citations, _span(best), confidence(best.margin, settings), best.margin)


def _with_supports(lead: str, lead_claim: str, supports: list[ReadSpan], citations: list[Citation]) -> list[str]:
    """The lead, then each corroborating sentence cited; a reprint (the same words) is stated once."""
    parts, stated = [lead], {normalise_answer(lead_claim): 0}
    for other in supports:
        support = _quote_evidence(other)
        claim, n = claim_text(support), Composer._cite(support, citations)
        if (said := normalise_answer(claim)) in stated:
            parts[stated[said]] = _cited_again(parts[stated[said]], n)
        else:
            stated[said] = len(parts)
            parts.append(cited(claim, n))
    return parts


def _cited_again(part: str, n: int) -> str:
    """A stated claim cited once more. Example: ("Units fought [1].", 2) -> "Units fought [1] [2]."."""
    return f"{part[:-1]} [{n}]." if part.endswith("].") else f"{part} [{n}]"


def _lead(question: str, kind: QuestionType, best: ReadSpan, quote: Evidence, n: int) -> str:
    if kind == "when":
        return _when(question, best, quote, n)
    claim = claim_text(quote)
    if kind == "yes_no":
        verdict = Composer._verdict(question, quote, changed=False)
        return f"{verdict} {cited(claim, n)}" if verdict else cited(claim, n)
    direct = best.text.strip(" ,;:.")
    if not direct or len(direct) >= _MOST_OF_SENTENCE * len(quote.text) or claim.startswith(direct):
        return cited(claim, n)
    return f"{direct[0].upper()}{direct[1:]}. {cited(claim, n)}"


def _when(question: str, best: ReadSpan, quote: Evidence, n: int) -> str:
    """The span's date leading the sentence, resolved ("last Friday" -> "On 18 October 2024 ...")."""
    offset = quote.sentence.start

    def in_span(d: DateMention) -> bool:
        return d.end + offset > best.start and d.start + offset < best.end

    return dated_claim(question, quote, n, in_span)


def _position(
    question: str, kind: QuestionType, best: ReadSpan, stance: tuple[Evidence, list[Evidence]],
    citations: list[Citation], settings: ReaderSettings,
) -> Reply:  # fmt: skip
    """The latest confirmation or denial leads (with a verdict for a yes/no question); a superseded
    one (a denial, then an admission) follows as earlier, dated."""
    latest, earlier = stance
    composer = _DATE_PHRASING
    n = Composer._cite(latest, citations)
    if kind == "when":
        first = composer._when(question, latest, n)
    elif kind == "yes_no" and (verdict := Composer._verdict(question, latest, changed=bool(earlier))):
        first = f"{verdict} {cited(claim_text(latest), n)}"
    else:
        first = cited(claim_text(latest), n)
    parts = [first] + [composer._earlier(e, Composer._cite(e, citations)) for e in earlier]
    if earlier:
        parts.append(latest_of_all(latest))
    # The reader's span when it lies in the latest stance's sentence; else that sentence is the direct answer.
    held = best if best.sentences[0].sentence_id == latest.sentence.sentence_id else None
    sentence, skip = latest.sentence, dateline_end(latest.sentence.text)
    span = _span(held) if held is not None else Span(doc_id=latest.article.meta.doc_id, start=sentence.start + skip,
                                                      end=sentence.end, text=sentence.text[skip:])  # fmt: skip
    return Reply(" ".join(parts), citations, span, confidence(best.margin, settings), best.margin)


def _corroborating(best: ReadSpan, spans: list[ReadSpan], threshold: float) -> list[ReadSpan]:
    """Other passages, above the threshold, whose span gives the same answer from another sentence."""
    seen = {(best.article.meta.doc_id, s.sentence_id) for s in best.sentences}
    found = []
    for other in spans:
        key = (other.article.meta.doc_id, other.sentences[0].sentence_id)
        if other is best or other.margin < threshold or key in seen or not same_answer(best.text, other.text):
            continue
        seen.add(key)
        found.append(other)
    return found


def _quote_evidence(span: ReadSpan) -> Evidence:
    """The sentence holding the span, as evidence to quote."""
    return Evidence.unscored(span.sentences[0], span.article)


def _span(best: ReadSpan) -> Span:
    return Span(doc_id=best.article.meta.doc_id, start=best.start, end=best.end, text=best.text)
