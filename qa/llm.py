"""An optional answerer that asks an OpenAI-compatible model, then keeps only what its sources support.

The model is shown up to `max_sources` numbered sentences of the retrieved passages, fenced
as data (qa.llm_prompt), and must end every claim with [n] markers; its reply is checked
sentence by sentence and only the supported ones are kept, cited verbatim (qa.llm_check).
When the model fails (timeout, unreachable, HTTP error, empty reply) or nothing it said is
supported, the extractive answer is given instead, with a note saying why.

It leaves out streaming, retries, conversation and retrieval (the caller does those; a
follow-up's earlier question reaches the model beside the question, as its context). It
never uses llama-index's global `Settings`, OpenAI's default endpoint or proxy variables:
the client is built from `LLMSettings` alone, and the openai packages load only when one is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from index.store import Store
from qa.answer_types import ABSTAIN_TEXT, Citation
from qa.article_types import Hit
from qa.llm_check import check_reply, is_abstention, split_sentences
from qa.llm_prompt import build_messages, select_sources
from qa.questions import as_question
from qa.request_types import Question
from qa.settings import LLMSettings

if TYPE_CHECKING:
    from llama_index.llms.openai_like import OpenAILike

_THINKING = re.compile(r"<think>.*?</think>", re.S)


class Answerer(Protocol):
    """Answers a parsed question (or text, read as a standalone question) from retrieved passages."""

    def answer(
        self, question: Question | str, hits: list[Hit], allowed: list[str] | None = None
    ) -> tuple[str, list[Citation]]: ...


@dataclass
class LLMReply:
    text: str
    citations: list[Citation]
    note: str | None = None
    fell_back: bool = False


class ModelFailure(Exception):
    """The model gave no usable reply; the message says why, for the note."""


def build_client(settings: LLMSettings) -> OpenAILike:
    """A chat client for exactly `settings.base_url`: no retries, no proxies, no global settings."""
    import httpx
    from llama_index.core.callbacks import CallbackManager
    from llama_index.llms.openai_like import OpenAILike

    return OpenAILike(model=settings.model, api_base=settings.base_url, api_key=settings.api_key,
                      timeout=settings.timeout_s, is_chat_model=True, max_retries=0,
                      temperature=settings.temperature, callback_manager=CallbackManager([]),
                      # mypy reads the pydantic fields, where the client is no field; its __init__ takes it
                      http_client=httpx.Client(trust_env=False))  # type: ignore[call-arg]  # fmt: skip


def failure_reason(error: Exception, settings: LLMSettings) -> str | None:
    """Why the request failed, in words for the note; None when `error` is not a model failure."""
    import openai

    if isinstance(error, openai.APITimeoutError):
        return f"did not answer in time (timeout after {settings.timeout_s:g} s)"
    if isinstance(error, openai.APIConnectionError):
        return f"could not be reached at {settings.base_url}"
    if isinstance(error, openai.APIStatusError):
        return f"answered with HTTP error {error.status_code}"
    if isinstance(error, openai.APIError | LookupError | AttributeError | TypeError | ValueError):
        return f"sent a reply that could not be read ({type(error).__name__})"
    return None


class LLMAnswerer:
    """Answers with a language model, keeping only claims their cited sentences support.

    `last_note` and `last_fell_back` describe the latest `answer` call, for callers that hold one
    answerer per conversation; `respond` returns the same as a value, which is safe to share.
    """

    def __init__(self, store: Store, settings: LLMSettings, fallback: Answerer) -> None:
        if settings.base_url is None:
            raise ValueError("the LLM answerer needs LLMSettings.base_url, e.g. http://localhost:11434/v1")
        self.store, self.settings, self.fallback = store, settings, fallback
        self.client = build_client(settings)
        self.last_note: str | None = None
        self.last_fell_back = False

    def answer(
        self, question: Question | str, hits: list[Hit], allowed: list[str] | None = None
    ) -> tuple[str, list[Citation]]:
        """Answer text with [n] markers and its citations; no citations when it abstains.

        `allowed` (the doc_ids the filters let through) only reaches the fallback: the model is
        shown sentences of `hits`, which the filters already shaped.
        """
        reply = self.respond(question, hits, allowed)
        self.last_note, self.last_fell_back = reply.note, reply.fell_back
        # The reader must know when the model was not used: the fallback says so in the answer itself.
        text = f"{reply.text} ({reply.note})" if reply.fell_back and reply.note else reply.text
        return text, reply.citations

    def respond(self, question: Question | str, hits: list[Hit], allowed: list[str] | None = None) -> LLMReply:
        """The model's checked answer; the fallback's, to the question as given, when there is none."""
        parsed = as_question(question)
        sources = select_sources(parsed.with_context, hits, self.store.catalog, self.settings.max_sources)
        if not sources:
            return LLMReply(ABSTAIN_TEXT, [])
        try:
            reply = self.ask_model(build_messages(parsed, sources))
        except ModelFailure as failure:
            return self._fallback(question, hits, allowed, f"The language model {failure}")
        if is_abstention(reply):
            return LLMReply(ABSTAIN_TEXT, [])
        text, citations, dropped = check_reply(reply, sources)
        if citations:
            note = f"Left out {dropped} sentence(s) of the model's answer that its sources did not support."
            return LLMReply(text, citations, note if dropped else None)
        if any(is_abstention(sentence) for sentence in split_sentences(reply)):
            return LLMReply(ABSTAIN_TEXT, [])
        return self._fallback(question, hits, allowed, "The language model's answer was not supported by its sources")

    def ask_model(self, messages: list[tuple[str, str]]) -> str:
        """The model's reply, without any <think> section; `ModelFailure` when there is none."""
        from llama_index.core.llms import ChatMessage

        try:
            response = self.client.chat([ChatMessage(role=role, content=text) for role, text in messages])
        except Exception as error:
            if (reason := failure_reason(error, self.settings)) is None:
                raise
            raise ModelFailure(reason) from error
        reply = _THINKING.sub("", response.message.content or "").strip()
        if not reply:
            raise ModelFailure("returned an empty reply")
        return reply

    def _fallback(self, question: Question | str, hits: list[Hit], allowed: list[str] | None, why: str) -> LLMReply:
        # Without filters the fallback is called as `answer(question, hits)`, so any answerer will do.
        args = (question, hits) if allowed is None else (question, hits, allowed)
        text, citations = self.fallback.answer(*args)
        return LLMReply(text, citations, f"{why}; this answer is extractive.", fell_back=True)
