"""The second BBC story (evals/bbc_story2.*, a dev set written blind) and the loader both stories share.

The case file is checked as written: ids, patterns, gold articles, its mix; where ../shared/data is
present, every answerable case's answer is checked to be in one of its gold articles. Nothing here
asks the assistant: the set is scored once by the lead, before anything is tuned on it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from evals import testset
from evals.items import SHARED_DATA
from evals.loaders import EVALS, LOADERS, load_bbc_story, story_stems
from qa.news_training import QUESTIONS

BBC = SHARED_DATA / "bbc-news"
STORY = testset.read_testset(EVALS / "bbc_story2.jsonl")
STEMS = story_stems(EVALS / "bbc_story2.articles")


def test_the_story_is_a_dev_set_of_one_thread_of_politics_articles() -> None:
    assert STORY.role == "dev" and "written blind" in STORY.note and "dev set" in STORY.note
    assert (EVALS / "bbc_story2.articles").read_text(encoding="utf-8").startswith("# ")
    assert 15 <= len(STEMS) <= 20 and len(set(STEMS)) == len(STEMS)
    assert all(re.fullmatch(r"bbc-politics-\d{3}", stem) for stem in STEMS)
    assert not set(STEMS) & set(story_stems(EVALS / "bbc_story.articles"))


@pytest.mark.skipif(not QUESTIONS.is_file(), reason="no news training questions here")
def test_no_article_of_the_story_was_used_to_train_the_reader() -> None:
    lines = QUESTIONS.read_text(encoding="utf-8").splitlines()
    trained = {json.loads(line)["doc"] for line in lines if line.strip()}
    assert not set(STEMS) & trained


def test_the_cases_have_unique_ids_compiling_patterns_and_gold_articles_of_the_story() -> None:
    ids = [case.id for case in STORY.cases]
    assert 45 <= len(ids) <= 50 and len(set(ids)) == len(ids)
    for case in STORY.cases:
        for pattern in case.answer_patterns:
            re.compile(pattern, re.IGNORECASE)
        assert set(case.gold_doc_ids) | set(case.earlier_doc_ids) <= set(STEMS), case.id
        assert case.answerable == bool(case.answer_patterns), case.id


def test_the_mix_holds_unanswerable_cases_follow_ups_and_every_question_type() -> None:
    unanswerable = [case for case in STORY.cases if not case.answerable]
    follow_ups = [case for case in STORY.cases if "followup" in case.tags]
    assert len(unanswerable) >= 8 and len(follow_ups) >= 6
    for case in follow_ups:
        roles = [turn.role for turn in case.history]
        assert roles and roles == ["user", "assistant"] * (len(roles) // 2), case.id
    assert all(case.history == [] for case in STORY.cases if "followup" not in case.tags)
    types = {case.type for case in STORY.cases if case.answerable}
    assert {"when", "how_many", "who", "where", "why", "yes_no"} <= types


@pytest.mark.skipif(not (BBC / "articles").is_dir(), reason="needs ../shared/data/bbc-news")
def test_every_answerable_case_is_answered_in_one_of_its_gold_articles() -> None:
    texts = {stem: (BBC / "articles" / f"{stem}.txt").read_text(encoding="utf-8") for stem in STEMS}
    unanswered = [case.id for case in STORY.cases if case.answerable
                  and not any(case.matches(texts[doc]) for doc in case.gold_doc_ids)]  # fmt: skip
    assert unanswered == []


@pytest.mark.skipif(not (BBC / "duplicates.json").is_file(), reason="needs ../shared/data/bbc-news")
def test_the_story_keeps_one_article_of_each_duplicate_pair() -> None:
    pairs = json.loads((BBC / "duplicates.json").read_text(encoding="utf-8"))
    assert all(len(set(pair) & set(STEMS)) <= 1 for pair in pairs)


@pytest.mark.skipif(not (BBC / "articles").is_dir(), reason="needs ../shared/data/bbc-news")
def test_the_collection_is_bbc_story2_split_dev(tmp_path: Path) -> None:
    collection = LOADERS["bbc_story2"](SHARED_DATA, tmp_path / "articles")
    assert collection is not None and collection.name == "bbc_story2"
    assert {item.split for item in collection.items} == {"dev"} and len(collection.items) == len(STORY.cases)
    assert sorted(path.stem for path in (tmp_path / "articles").glob("*.txt")) == sorted(STEMS)


# -- the loader both stories share, on a made-up story -------------------------------------------------------


def _story(folder: Path, header: dict[str, object] | None, gold: str = "bbc-politics-901") -> Path:
    """A one-article story in `folder/evals`, its article in `folder/shared`; returns the shared folder."""
    (folder / "shared" / "bbc-news" / "articles").mkdir(parents=True)
    (folder / "shared" / "bbc-news" / "articles" / "bbc-politics-901.txt").write_text("Vote held\n\nMPs voted 9-2.\n")
    (folder / "evals").mkdir()
    (folder / "evals" / "tale.articles").write_text("# the vote\nbbc-politics-901.txt\n")
    case = {"id": "t1", "question": "How did MPs vote?", "type": "how_many", "answerable": True,
            "gold_doc_ids": [gold], "answer_patterns": [r"9\s*-\s*2"]}  # fmt: skip
    lines = ([json.dumps(header)] if header else []) + [json.dumps(case)]
    (folder / "evals" / "tale.jsonl").write_text("\n".join(lines) + "\n")
    return folder / "shared"


def test_a_story_is_named_by_its_files_and_split_by_the_role_in_its_header(tmp_path: Path) -> None:
    shared = _story(tmp_path, {"_meta": {"role": "dev", "note": "made up"}})
    collection = load_bbc_story(shared, tmp_path / "articles", "tale", tmp_path / "evals")
    assert collection is not None
    assert [(i.collection, i.split, i.id, i.gold) for i in collection.items] == [("tale", "dev", "t1", (r"9\s*-\s*2",))]
    assert collection.note["splits"] == {"dev": "all"}
    assert (tmp_path / "articles" / "bbc-politics-901.txt").read_text() == "Vote held\n\nMPs voted 9-2.\n"


def test_a_story_without_a_role_or_with_a_gold_article_it_does_not_list_is_refused(tmp_path: Path) -> None:
    shared = _story(tmp_path / "a", None)
    with pytest.raises(testset.TestSetError, match=r"tale\.jsonl:1: .*role"):
        load_bbc_story(shared, tmp_path / "a" / "articles", "tale", tmp_path / "a" / "evals")
    shared = _story(tmp_path / "b", {"_meta": {"role": "test"}}, gold="bbc-politics-902")
    with pytest.raises(testset.TestSetError, match="unknown doc id 'bbc-politics-902'"):
        load_bbc_story(shared, tmp_path / "b" / "articles", "tale", tmp_path / "b" / "evals")


def test_without_the_shared_data_the_second_story_is_skipped(tmp_path: Path) -> None:
    assert LOADERS["bbc_story2"](tmp_path / "no-shared", tmp_path / "articles") is None
