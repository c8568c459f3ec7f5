"""Whether a question is in English, told from its script and its small words.

The reader and the articles' search work in English; the page says so when a question is
plainly in another language. A question is judged not English when most of its letters are
of another script, or when it has another language's function words ("quand", "wann",
"cuándo") and no English ones. Names alone ("Müller", "Le Pen") decide nothing. It leaves
out telling which language it is.
"""

from __future__ import annotations

import re
import unicodedata

_ENGLISH = frozenset(
    """what when where who whom whose why how which did does do is are was were has have had the a an of to in on
    at and or about say said tell told many much with for from by it its they he she this that these those there
    after before since between against be been will would could should can any all not""".split()  # noqa: SIM905
)
# Function words of French, German, Spanish, Italian, Portuguese and Dutch that English questions do not use.
_OTHER = frozenset(
    """le la les des du et est que qui quand où pourquoi comment quel quelle quels une dans sur pour avec
    der das und ist wer wann wo warum wie hat ein eine nicht mit von dem den welche
    el los las qué cuándo dónde por cómo una del quién cuál cuántos
    il che chi quando dove perché di sono gli della
    não quem onde porque uma os
    het een wat waarom hoe niet van""".split()  # noqa: SIM905
)
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def looks_english(text: str) -> bool:
    """Whether `text` reads as English (True when there is too little to tell).

    Example: "Quand la Corée du Nord a-t-elle admis ?" -> False; "Who is Le Pen?" -> True;
    "Когда это случилось?" -> False
    """
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return True
    latin = sum(unicodedata.name(c, "").startswith("LATIN") for c in letters)
    if latin * 2 < len(letters):
        return False
    words = [w.casefold() for w in _WORD.findall(text)]
    english = sum(w in _ENGLISH for w in words)
    other = sum(w in _OTHER for w in words)
    return not (other and not english) and not (other >= 2 and other > english)
