"""One settings tree for the whole product, read from `QA_*` environment variables.

Only entry points (CLI, app, evals) construct `QASettings()`; everything below them is handed
the parts it needs. Nested fields use a double underscore: `QA_RETRIEVAL__K=8`.

A leaf: every setting of every stage is described here, and nothing of `qa` is imported, so
a stage imports its settings without importing the stages it is configured beside.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from index.ingest import IngestSettings

PROJECT_ROOT = Path(__file__).resolve().parents[1]


class RetrievalSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    k: int = Field(default=5, ge=1, le=100, description="Hits returned by default.")
    candidates: int = Field(default=40, ge=1, description="Hits taken from each retriever before fusion.")
    rrf_k: int = Field(default=60, ge=1, description="Reciprocal rank fusion constant.")
    dense_weight: float = Field(default=1.0, ge=0, description="Weight of the dense ranking in fusion.")
    bm25_weight: float = Field(default=1.0, ge=0, description="Weight of the BM25 ranking in fusion.")
    sentence_weight: float = Field(
        default=1.0,
        ge=0,
        description="Weight of the ranking by each chunk's best-matching sentence.",
    )
    rerank_depth: int = Field(default=20, ge=0, description="Fused hits re-scored by their best sentence.")
    rerank_weight: float = Field(
        default=0.5, ge=0, le=1, description="Share of the re-scored rank that comes from the best sentence."
    )
    max_question_chars: int = Field(default=2000, gt=0, description="Longest question accepted.")


class EvidenceSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    passages: int = Field(default=8, ge=1, description="Retrieved passages the answer reads from.")
    stance_sentences: int = Field(
        default=20, ge=0, description="Nearest sentences added for questions about a position or stance."
    )
    meaning_weight: float = Field(default=0.6, ge=0)
    words_weight: float = Field(default=0.25, ge=0)
    kind_weight: float = Field(default=0.15, ge=0)
    heading_penalty: float = Field(default=0.15, ge=0, description="Subtracted for lines that are not sentences.")
    context_share: float = Field(
        default=0.5,
        ge=0,
        le=1,
        description="How much a question word counts when only the sentence's context (the sentence before it, "
        "the title) holds it: 'he said' quotes and 'these events' take their subject from there.",
    )
    article_share: float = Field(
        default=0.25,
        ge=0,
        le=1,
        description="How much a question word counts when only elsewhere in the sentence's article.",
    )
    followup_share: float = Field(
        default=0.5,
        ge=0,
        le=1,
        description="How much a word of the earlier question counts, when a follow-up could not be rewritten "
        "to stand alone and carries that question as context.",
    )
    date_weight: float = Field(
        default=0.15,
        ge=0,
        description="Added for a sentence dated (or, undated, published) in a period the question names "
        "('the statement of April 2025').",
    )
    focus_weight: float = Field(
        default=0.1,
        ge=0,
        description="Added for a sentence holding the whole phrase a which-question asks for an instance of "
        "('which news agency' -> 'the Yonhap news agency').",
    )
    source_penalty: float = Field(
        default=0.15,
        ge=0,
        description="Subtracted for a sentence whose article does not name the source the question attributes "
        "its claim to ('according to Mostov, ...'): another article cannot say what that source said.",
    )
    context_meaning: float = Field(
        default=0.5, ge=0, le=1, description="Weight of the sentence before it in a sentence's second meaning vector."
    )


class ComposeSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    min_score: float = Field(default=0.35, description="Below this best score the answer abstains.")
    support_margin: float = Field(default=0.12, description="Supports score within this of the lead.")
    conflict_margin: float = Field(default=0.2, description="Stance evidence within this of the lead.")
    max_supports: int = Field(default=2, ge=0, le=2)


class ReaderSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # passages, rank_prior and threshold were chosen on the dev sets only (SQuAD 2.0 held-out dev split and
    # QuAIL news): evals/reader_tuning.json and evals/threshold.json hold the grid and the curve.
    passages: int = Field(default=5, ge=1, le=20, description="Retrieved passages the reader reads.")
    threshold: float = Field(
        default=3.2,
        description="Abstain when the best span's margin over 'no answer' is below this; chosen on dev sets "
        "(evals/threshold.json says which and how).",
    )
    rank_prior: float = Field(
        default=1.0, ge=0, description="Margin taken off per doubling of a passage's retrieval rank when ranking spans."
    )
    # confidence = 1 / (1 + exp(-(slope * margin + intercept))): how often answers at a margin were right on
    # the same dev sets, fitted by `python -m evals.calibrate` (evals/calibration.json).
    confidence_slope: float = Field(default=0.2337, gt=0, description="Calibrated confidence: slope on the margin.")
    confidence_intercept: float = Field(default=-1.2439, description="Calibrated confidence: intercept.")
    max_supports: int = Field(default=2, ge=0, le=2, description="Other passages giving the same answer, cited.")
    rerank: bool = Field(
        default=False,
        description="Re-rank the passages by the rule engine's sentence scorer before reading. Off: on the dev sets "
        "it changed nothing for the reader (0.689 either way, evals/reader_tuning.json), so its weights stay out.",
    )


class AnswerSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    engine: Literal["reader", "rules"] = Field(
        default="reader", description="'reader': the trained span reader; 'rules': the earlier rule-based answerer."
    )
    reader: ReaderSettings = Field(default_factory=ReaderSettings)
    evidence: EvidenceSettings = Field(default_factory=EvidenceSettings)
    compose: ComposeSettings = Field(default_factory=ComposeSettings)


class LLMSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    base_url: str | None = Field(
        default=None, description="OpenAI-compatible endpoint, e.g. http://localhost:11434/v1; unset: no LLM."
    )
    model: str = Field(default="local-model", description="Model name sent with each request.")
    api_key: str = Field(default="not-needed", description="Bearer token; local servers usually ignore it.")
    timeout_s: float = Field(default=20.0, gt=0, description="Seconds to wait for a reply before falling back.")
    max_sources: int = Field(default=8, ge=1, description="Numbered source sentences shown to the model.")
    temperature: float = Field(default=0.0, ge=0, le=2, description="Sampling temperature.")

    @field_validator("base_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"https?://[^/\s]+(/\S*)?", value):
            raise ValueError(f"base_url must look like http://host:port/v1, got {value!r}")
        return value


class QASettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="QA_", env_nested_delimiter="__", extra="forbid")

    data_dir: Path = Field(default=PROJECT_ROOT / ".qa-data", description="Where the stores live.")
    corpus_dir: Path = Field(default=PROJECT_ROOT / "corpus" / "articles", description="Default articles to ingest.")
    reader_dir: Path = Field(
        default=PROJECT_ROOT / "models" / "reader", description="The span reader's folder (QA_READER_DIR)."
    )
    chroma_url: str | None = Field(default=None, description="A Chroma server to use instead of the embedded store.")
    ingest: IngestSettings = Field(default_factory=IngestSettings)
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    answer: AnswerSettings = Field(default_factory=AnswerSettings)
    llm: LLMSettings = Field(
        default_factory=LLMSettings,
        description="An optional OpenAI-compatible model; off unless base_url is set (QA_LLM_BASE_URL).",
    )
    llm_base_url: str | None = Field(default=None, exclude=True, description="Same as llm.base_url.")
    llm_model: str | None = Field(default=None, exclude=True, description="Same as llm.model.")
    llm_api_key: str | None = Field(default=None, exclude=True, description="Same as llm.api_key.")
    host: str = Field(default="127.0.0.1", description="Address the app binds to (loopback by default).")
    port: int = Field(default=7860, ge=1, le=65535, description="Port of the app.")
    allow_upload: bool = Field(default=False, description="Let readers add articles from the page.")
    upload_max_files: int = Field(default=20, ge=1, description="Most files one upload from the page may carry.")
    examples_file: Path = Field(default=PROJECT_ROOT / "corpus" / "examples.txt", description="Example questions.")
    timeline_threshold: float = Field(default=0.35, description="Least topic similarity for a timeline event.")

    @model_validator(mode="after")
    def _flat_llm_names(self) -> Self:
        """Honour QA_LLM_BASE_URL / QA_LLM_MODEL / QA_LLM_API_KEY, the names ARCHITECTURE.md documents."""
        flat = {"base_url": self.llm_base_url, "model": self.llm_model, "api_key": self.llm_api_key}
        given = {k: v for k, v in flat.items() if v is not None}
        if given:
            self.llm = LLMSettings.model_validate({**self.llm.model_dump(), **given})
        return self
