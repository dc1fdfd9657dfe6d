"""The one door to whoosh's internals: what dvsearch needs from an index, behind its own interface.

Modules outside this package use whoosh's public query, field and analysis classes through
``public.py`` and nothing else of whoosh. Inside, one module per idea:

- ``loading.py``: whoosh imported without three modules it never needs here (run below);
- ``files.py``: creating, opening and writing a generation's files, the vocabulary's term counts;
- ``segments.py``: segments written by parallel workers, recorded in one table of contents;
- ``postings.py``: dvsearch's posting blocks (flat arrays) inside whoosh's W3 codec;
- ``bm25.py``: BM25F's parameters and idf, once for both engines;
- ``reader.py``: ``IndexReader``, the interface below, over one open whoosh searcher;
- ``scoring.py``: ``ArrayScorer``, BM25F with numpy over whoosh query trees, reading the index
  only through ``IndexReader``;
- ``arrays.py``: the scorer's element-wise arithmetic, skipping what changes nothing;
- ``matchers.py``: whoosh's own matchers, the reference engine, with their shortcuts off;
- ``results.py``: ``Ranked``, what both engines answer;
- ``accents.py``: which accents each position of an exact field bears, one byte a syllable;
- ``exact_pairs.py``: exact fields without positions (their accents a column), and accented
  pairs matched through the folded twin's positions and that column, for both engines;
- ``columns.py``: one field's value for every article from whoosh's column files (dates,
  bylines, sources), for facets; both engines' match sets index it;
- ``internals.py``: every private name of whoosh used here, which a canary test checks.

The interface, in the spirit of tantivy's ``Bm25StatisticsProvider``: whatever scores articles
asks an ``IndexReader`` for these, with articles numbered ``0 .. size - 1`` across segments:

- ``postings(field, text)``: a term's ``Postings``, article numbers and in-article frequencies
  (the BM25 weights) as two numpy arrays, in article order;
- ``positions(field, text, wanted)``: where the term stands in the ``wanted`` articles (a mask),
  one ascending key per occurrence, ``article << POSITION_BITS | position``; only the blocks
  holding a wanted article are read (``trim_caches()`` between queries bounds what is kept);
- ``folded_twin(field)`` and ``accents_hold(field, words, keys)``: for an exact field keeping
  no positions, the field whose positions stand for its own, and whether the exact words
  stand at given occurrences of the folded ones (its accents column, read for those articles);
- ``field_lengths(field)``: every article's length in ``field``, as whoosh encodes it (one
  byte, log-scaled: the lengths whoosh's own BM25F sees);
- ``live``: a mask of the articles not deleted (``size`` counts deleted ones too);
- ``doc_frequency(field, text)``, ``doc_count()`` and ``average_field_length(field)``: the
  statistics of BM25's idf and length normalisation, counted as whoosh counts them;
- ``terms(field)``: a field's terms in order (for date ranges and ordering by date);
- ``stored_fields(docnum)``: what was stored for an article, for its ``Hit``.
"""

from dvsearch.engine.loading import import_whoosh

import_whoosh()
