"""Read article files (.md, .txt, .html) into `Article`s, or say exactly why not.

Metadata comes, in order of precedence, from front matter, then the corpus manifest
(`manifest.yaml` beside the files, keyed by file name), then what the text itself prints.
Every failure is a `LoadError` naming the file and the reason in one line, so one bad file
never stops the others. It leaves out cleaning and chunking.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from index.html import html_to_text
from index.metadata import extract_meta
from index.types import Article, ArticleMeta, is_web_url

SUPPORTED_SUFFIXES = {".md", ".markdown", ".txt", ".html", ".htm"}
MANIFEST_NAME = "manifest.yaml"
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(\n|\Z)", re.DOTALL)


class _MetadataYaml(yaml.SafeLoader):
    """Safe YAML in which an impossible date ("2024-13-45") stays text, so that the metadata
    check rejects that one file by field instead of YAML aborting the whole batch."""


def _date_or_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> object:
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:
        return loader.construct_scalar(node)


_MetadataYaml.add_constructor("tag:yaml.org,2002:timestamp", _date_or_text)


class LoadError(Exception):
    """A file that cannot be ingested, and why."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path, self.reason = str(path), reason


def discover(path: Path) -> list[Path]:
    """Article files at `path` (a file, or a folder searched recursively), sorted."""
    if not path.exists():
        raise LoadError(path, "no such file or folder")
    if path.is_file():
        return [path]
    return [p for p in _visible_files(path) if p.suffix.lower() in SUPPORTED_SUFFIXES]


def not_articles(folder: Path) -> list[Path]:
    """Files in `folder` that `discover` passes over for their type (a .pdf, a .docx), sorted;
    hidden files and the manifest are not counted."""
    if not folder.is_dir():
        return []
    return [p for p in _visible_files(folder) if p.suffix.lower() not in SUPPORTED_SUFFIXES and p.name != MANIFEST_NAME]


def unsupported_reason(path: Path) -> str:
    """Example: Path("a.pdf") -> "not an article file (.pdf); qa reads .htm, .html, .markdown, .md, .txt"."""
    kind = path.suffix.lower() or "no file extension"
    return f"not an article file ({kind}); qa reads {', '.join(sorted(SUPPORTED_SUFFIXES))}"


def _visible_files(folder: Path) -> list[Path]:
    # Hidden files and folders inside the given folder are skipped; the folder itself may sit anywhere.
    found = (p for p in folder.rglob("*") if p.is_file())
    return sorted(p for p in found if not any(part.startswith(".") for part in p.relative_to(folder).parts))


def read_manifest(folder: Path) -> dict[str, dict[str, Any]]:
    """The manifest's entries keyed by file name; empty when there is none."""
    path = folder / MANIFEST_NAME
    if not path.is_file():
        return {}
    try:
        entries = yaml.load(path.read_text(encoding="utf-8"), Loader=_MetadataYaml) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise LoadError(path, f"not valid YAML ({_first_line(error)})") from error
    if not isinstance(entries, dict) or not all(isinstance(v, dict) for v in entries.values()):
        raise LoadError(path, "must map each file name to a mapping of metadata fields")
    return entries


def _first_line(error: Exception) -> str:
    return " ".join(str(error).split())[:160]


def _decode(path: Path, max_bytes: int) -> str:
    size = path.stat().st_size
    if size > max_bytes:
        raise LoadError(path, f"too large ({size / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.1f} MB)")
    data = path.read_bytes()
    if not data.strip():
        raise LoadError(path, "empty file")
    if b"\x00" in data[:8192]:
        raise LoadError(path, "binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        bad = data[error.start]
        raise LoadError(path, f"not valid UTF-8 (byte 0x{bad:02x} at offset {error.start})") from error


def _front_matter(path: Path, text: str) -> tuple[dict[str, Any], int]:
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, 0
    try:
        fields = yaml.load(match.group(1) or "", Loader=_MetadataYaml) or {}
    except yaml.YAMLError as error:
        raise LoadError(path, f"front matter is not valid YAML ({_first_line(error)})") from error
    if not isinstance(fields, dict):
        raise LoadError(path, "front matter must be a mapping of metadata fields")
    return fields, match.end()


def default_doc_id(path: Path) -> str:
    """A doc_id from a file name. Example: "My Article (1).md" -> "My-Article-1"."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", path.stem).strip("-.") or "article"


def load_article(path: Path, manifest_entry: dict[str, Any] | None, max_bytes: int) -> Article:
    """Load one file; raise `LoadError` with the reason if it cannot be used."""
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise LoadError(path, unsupported_reason(path))
    text, given, body_start = _text_and_given_meta(path, _decode(path, max_bytes), dict(manifest_entry or {}))
    if not text[body_start:].strip():
        raise LoadError(path, "no article text")
    meta = _article_meta(path, {**extract_meta(text, body_start), **given})
    digest = hashlib.sha256(text.encode() + meta.model_dump_json().encode()).hexdigest()
    return Article(meta=meta, original=text, body_start=body_start, source=str(path), content_hash=digest)


def _text_and_given_meta(path: Path, text: str, manifest: dict[str, Any]) -> tuple[str, dict[str, Any], int]:
    """The text (an HTML page's visible text), the metadata given for it and where its body starts.

    Front matter wins over the manifest, and the manifest over an HTML page's head."""
    if path.suffix.lower() in {".html", ".htm"}:
        visible, head = html_to_text(text)
        return visible, {**head, **manifest}, 0
    if path.suffix.lower() in {".md", ".markdown"}:
        fields, body_start = _front_matter(path, text)
        return text, {**manifest, **fields}, body_start
    return text, manifest, 0


def _article_meta(path: Path, fields: dict[str, Any]) -> ArticleMeta:
    """The fields checked as `ArticleMeta`, the doc_id defaulting to the file name's; a bad one is a `LoadError`."""
    fields.setdefault("doc_id", default_doc_id(path))
    url = fields.get("url")
    if url and not is_web_url(str(url)):
        raise LoadError(path, f"bad metadata: url {url!r} is not an http or https address")
    try:
        return ArticleMeta.model_validate(fields)
    except ValidationError as error:
        detail = error.errors()[0]
        where = ".".join(str(part) for part in detail["loc"]) or "metadata"
        raise LoadError(path, f"bad metadata: {where}: {detail['msg']}") from error
