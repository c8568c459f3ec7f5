"""One settings tree for the whole product, read from `QA_*` environment variables.

Only entry points (CLI, app, evals) construct `QASettings()`; everything below them is handed
the parts it needs. Nested fields use a double underscore: `QA_RETRIEVAL__K=8`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from index.ingest import IngestSettings
from qa.answerer import AnswerSettings
from qa.llm import LLMSettings

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
