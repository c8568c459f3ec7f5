"""Offline, cited question answering over a collection of news articles."""

from qa.archive import UnknownArticle
from qa.assistant import Assistant
from qa.settings import QASettings, RetrievalSettings
from qa.types import ArticleSummary, ArticleView, Filters, Hit, Retrieval

__all__ = [
    "ArticleSummary",
    "ArticleView",
    "Assistant",
    "Filters",
    "Hit",
    "QASettings",
    "Retrieval",
    "RetrievalSettings",
    "UnknownArticle",
]
