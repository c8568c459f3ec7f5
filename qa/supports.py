"""Supports: the sentences that add to an answer's lead, at most a few, never repeats.

A support comes from the lead's own article, or from another article that gives the same answer
(the same figure, date, name or place, one the question does not give itself), so an answer never
cites an unrelated report. A who-answer whose lead says only "he added" gets the sentence that
names the speaker; a why-answer whose lead gives no reason gets the next sentence if it gives one.

It leaves out how supports are worded (`qa.phrasing`) and the lead itself (`qa.compose`).
"""

from __future__ import annotations

import re

from index.bm25 import tokenize
from qa.answer_kinds import kind_match, new_places
from qa.evidence import Evidence
from qa.request_types import QuestionType
from qa.settings import ComposeSettings

_PRONOUN_SPEAKER = re.compile(r"\b(he|she|they)\s+(said|added|says|wrote|concluded|continued)\b", re.I)
_FIGURE = re.compile(r"\d[\d,]*(?:\.\d+)?")
_NAME_RUN = re.compile(r"\b[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)+")


def choose_supports(
    question: str, evidence: list[Evidence], lead: Evidence, kind: QuestionType, settings: ComposeSettings
) -> list[Evidence]:
    """Sentences that add to the lead: from its own article, or from another that gives the same
    answer (the same figure, date, name or place), so a support never cites an unrelated report."""
    chosen: list[Evidence] = []
    if kind == "who" and lead.speaker is None and (named := _named_speaker_before(lead, evidence)):
        chosen.append(named)
    if kind == "why" and not kind_match(kind, lead.text, lead.dates) and (reason := _reason_after(lead)):
        chosen.append(reason)
    for e in evidence[1:]:
        if len(chosen) >= settings.max_supports or e.score < lead.score - settings.support_margin:
            break
        if e is lead or any(_overlap(e.text, c.text) >= 0.5 for c in [lead, *chosen]):
            continue
        if e.article is lead.article or _same_answer(question, kind, e, lead):
            chosen.append(e)
    return chosen


def _named_speaker_before(lead: Evidence, evidence: list[Evidence]) -> Evidence | None:
    """For a quote ending "he added", the sentence before it if it names a speaker, else the nearest
    earlier sentence of the article among the evidence that does."""
    if not _PRONOUN_SPEAKER.search(lead.text):
        return None
    if lead.before is not None and (before := Evidence.unscored(lead.before, lead.article)).speaker:
        return before
    earlier = [e for e in evidence if e.article is lead.article and e.sentence.end <= lead.sentence.start]
    named = [e for e in earlier if e.speaker]
    return max(named, key=lambda e: e.sentence.start) if named else None


def _reason_after(lead: Evidence) -> Evidence | None:
    """For a why-question led by a sentence that gives no reason, the next sentence of the article
    if it gives one ("... reaches 1.4 million." -> "But these events are caused by ...")."""
    sentences = lead.article.sentences
    at = next((i for i, s in enumerate(sentences) if s.sentence_id == lead.sentence.sentence_id), None)
    if at is None or at + 1 >= len(sentences):
        return None
    after = Evidence.unscored(sentences[at + 1], lead.article)
    return after if kind_match("why", after.text, after.dates) else None


def _same_answer(question: str, kind: QuestionType, e: Evidence, lead: Evidence) -> bool:
    """Whether two sentences give the same answer to the question: for a figure, date, name or
    place, one the question does not give itself. Other kinds of answer cannot be compared so."""
    asked = set(tokenize(question))
    if kind == "how_many":
        return bool(_figures(e) & _figures(lead) - set(_FIGURE.findall(question)))
    if kind == "when":
        return bool({d.date for d in e.dates if not d.since} & {d.date for d in lead.dates if not d.since})
    if kind == "where":
        return bool({p.lower() for p in new_places(asked, e.text)} & {p.lower() for p in new_places(asked, lead.text)})
    if kind == "who":
        names = [set(_NAME_RUN.findall(x.text)) for x in (e, lead)]
        return any(not set(tokenize(n)) <= asked for n in names[0] & names[1])
    return False


def _figures(e: Evidence) -> set[str]:
    """The figures of a sentence, less the numbers of its dates. Example: "1,500 troops on Oct. 12" -> {"1500"}."""
    return {f.replace(",", "") for f in _FIGURE.findall(e.text_without_dates)}


def _overlap(a: str, b: str) -> float:
    x, y = set(a.lower().split()), set(b.lower().split())
    return len(x & y) / max(1, min(len(x), len(y)))
