"""Time `Assistant.ask` on a hostile question: 60 made-up 27-letter words (seeded).

Run: `python bench/hostile_question.py` (or `make bench`). Before spelling repair was bounded
(issue 13) this question took about a minute; the target is well under a second. It warms the
assistant with one ordinary question first, so the number is the hostile question's own cost.
It measures, it does not assert.
"""

from __future__ import annotations

import random
import string
import time

from qa import Assistant, QASettings


def hostile_question(seed: int = 13, words: int = 60, letters: int = 27) -> str:
    rng = random.Random(seed)
    return " ".join("".join(rng.choices(string.ascii_lowercase, k=letters)) for _ in range(words))


def main() -> None:
    assistant = Assistant(QASettings())
    assistant.ingest()
    assistant.ask("warm-up question about the articles")
    question = hostile_question()
    started = time.perf_counter()
    assistant.ask(question)
    elapsed = (time.perf_counter() - started) * 1000
    print(f"hostile question ({len(question)} characters): ask took {elapsed:.1f} ms")


if __name__ == "__main__":
    main()
