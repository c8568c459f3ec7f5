"""Offline, cited question answering over a collection of news articles."""

from qa.archive import UnknownArticle
from qa.article_types import ArticleSummary, ArticleView, Hit, Retrieval
from qa.assistant import Assistant
from qa.request_types import Filters
from qa.settings import QASettings, RetrievalSettings

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
