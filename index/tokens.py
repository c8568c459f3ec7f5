"""tiktoken's cl100k_base, offline, from the copy bundled inside llama-index-core.

tiktoken downloads encodings on first use unless TIKTOKEN_CACHE_DIR points at a cache that
holds them. llama-index-core ships that cache; this module points tiktoken at it explicitly
(unless the user set the variable) instead of relying on import order.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import tiktoken

ENCODING = "cl100k_base"


def bundled_cache_dir() -> Path:
    """The tiktoken cache directory shipped inside llama-index-core."""
    import llama_index.core

    return Path(llama_index.core.__file__).parent / "_static" / "tiktoken_cache"


@cache
def encoding() -> tiktoken.Encoding:
    """The cl100k_base encoding, loaded without the network."""
    os.environ.setdefault("TIKTOKEN_CACHE_DIR", str(bundled_cache_dir()))
    return tiktoken.get_encoding(ENCODING)


def count_tokens(text: str) -> int:
    """Number of cl100k_base tokens. Example: "hello world" -> 2."""
    return len(encoding().encode(text, disallowed_special=()))
