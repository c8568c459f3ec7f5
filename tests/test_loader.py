"""Loading articles: formats, where metadata comes from, and a clear reason for bad files."""

import datetime as dt
from pathlib import Path

import pytest

from index.loader import LoadError, default_doc_id, discover, load_article, read_manifest

LIMIT = 5_000_000
BODY = "The council approved the new budget on Tuesday after a long debate, officials said.\n"


def _write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def test_markdown_front_matter_wins_over_manifest_and_text(tmp_path: Path) -> None:
    text = (
        "---\ntitle: From Front Matter\npublished: 2024-05-01\nurl: https://example.org/a\n---\n"
        "# Printed Title Of The Story\n" + BODY
    )
    path = _write(tmp_path, "story.md", text)
    article = load_article(path, {"title": "From Manifest", "publisher": "Gazette"}, LIMIT)
    assert article.meta.title == "From Front Matter"
    assert article.meta.publisher == "Gazette"
    assert article.meta.published == dt.date(2024, 5, 1)
    assert article.meta.doc_id == "story"
    assert article.original[article.body_start :].startswith("# Printed Title")


def test_text_file_metadata_is_extracted_when_not_given(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "plain.txt",
        "Storm Closes Mountain Roads\nBy Jo Park Posted : March 3, 2024\n" + BODY,
    )
    meta = load_article(path, None, LIMIT).meta
    assert (meta.title, meta.byline, meta.published) == (
        "Storm Closes Mountain Roads",
        "Jo Park",
        dt.date(2024, 3, 3),
    )
    assert meta.publisher is None and meta.url is None


def test_html_is_reduced_to_visible_text_and_head_metadata(tmp_path: Path) -> None:
    html = (
        '<html lang="en"><head><title>Page Title</title><meta property="og:site_name" content="The Daily">'
        '<meta property="article:published_time" content="2024-02-03T10:00:00Z">'
        "<script>alert(1)</script></head>"
        "<body><nav>Home Sport</nav><h1>Budget Passes</h1><p>" + BODY + "</p><footer>Cookies</footer></body></html>"
    )
    article = load_article(_write(tmp_path, "page.html", html), None, LIMIT)
    assert article.meta.title == "Page Title" and article.meta.publisher == "The Daily"
    assert article.meta.published == dt.date(2024, 2, 3)
    assert "alert" not in article.original and "Home Sport" not in article.original
    assert "Budget Passes" in article.original


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", "", "empty file"),
        ("blank.txt", "  \n\n ", "empty file"),
        ("binary.txt", b"\x89PNG\x00\x00\x01binary", "binary file, not text"),
        (
            "latin1.txt",
            "caf\xe9 au lait".encode("latin-1"),
            "not valid UTF-8 (byte 0xe9 at offset 3)",
        ),
        ("broken.md", "---\ntitle: [unclosed\n---\n" + BODY, "front matter is not valid YAML"),
        ("notmap.md", "---\n- a list\n---\n" + BODY, "front matter must be a mapping"),
        ("yesterday.md", "---\npublished: yesterday\n---\n" + BODY, "'yesterday' is not a date"),
        ("badid.md", "---\ndoc_id: ../etc/passwd\n---\n" + BODY, "doc_id"),
        ("typo.md", "---\ntitel: Oops\n---\n" + BODY, "titel: Extra inputs are not permitted"),
        ("onlyfront.md", "---\ntitle: Nothing else\n---\n", "no article text"),
        ("jsurl.md", "---\nurl: javascript:alert(1)\n---\n" + BODY, "url 'javascript:alert(1)' is not an http or"),
        ("dataurl.md", "---\nurl: ' data:text/html,x'\n---\n" + BODY, "is not an http or https address"),
        ("jsog.html", '<meta property="og:url" content="JavaScript:alert(1)"><p>' + BODY, "not an http or https"),
    ],
)
def test_bad_files_give_a_one_line_reason_naming_the_file(
    tmp_path: Path, name: str, content: str | bytes, reason: str
) -> None:
    path = _write(tmp_path, name, content)
    with pytest.raises(LoadError) as caught:
        load_article(path, None, LIMIT)
    message = str(caught.value)
    assert message.startswith(str(path)) and reason in message and "\n" not in message


def test_a_file_over_the_size_limit_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(20_000_000)
    with pytest.raises(LoadError, match=r"too large \(20.0 MB; the limit is 5.0 MB\)"):
        load_article(path, None, LIMIT)


def test_discover_finds_supported_files_and_skips_hidden_ones(tmp_path: Path) -> None:
    for name in ["a.txt", "b.md", "c.html", "d.pdf", ".hidden/e.txt", "sub/f.txt"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(BODY)
    assert [p.relative_to(tmp_path).as_posix() for p in discover(tmp_path)] == [
        "a.txt",
        "b.md",
        "c.html",
        "sub/f.txt",
    ]


def test_discover_names_a_missing_path(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="no such file or folder"):
        discover(tmp_path / "missing")


def test_manifest_must_be_a_mapping_of_mappings(tmp_path: Path) -> None:
    _write(tmp_path, "manifest.yaml", "- not: a mapping\n")
    with pytest.raises(LoadError, match="must map each file name"):
        read_manifest(tmp_path)


@pytest.mark.parametrize(("name", "expected"), [("My Article (1).md", "My-Article-1"), ("...txt", "article")])
def test_default_doc_id(name: str, expected: str) -> None:
    assert default_doc_id(Path(name)) == expected


def test_discover_reads_a_folder_that_itself_sits_under_a_hidden_one(tmp_path: Path) -> None:
    folder = tmp_path / ".cache" / "articles"
    folder.mkdir(parents=True)
    (folder / "a.txt").write_text("A headline\n\nSome body text.\n", encoding="utf-8")
    (folder / ".hidden.txt").write_text("skipped\n", encoding="utf-8")
    assert discover(folder) == [folder / "a.txt"]


def test_a_date_in_the_body_prose_is_an_event_not_the_publication_date(tmp_path: Path) -> None:
    body = (
        "Terror powers expose tyranny\n\nThe novelist says the bill goes too far.\n\n"
        "I was born on 25 August, 1938, and the threat back then was a scruffy little Austrian.\n\n" + BODY
    )
    assert load_article(_write(tmp_path, "column.txt", body), None, LIMIT).meta.published is None
    dated = "Terror powers expose tyranny\nPublished 3 March 2005\n\n" + body.split("\n\n", 1)[1]
    assert load_article(_write(tmp_path, "dated.txt", dated), None, LIMIT).meta.published == dt.date(2005, 3, 3)
