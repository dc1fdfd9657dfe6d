"""Loading whoosh without the imports it never uses here, which cost a third of its load time.

``whoosh.compat`` imports ``urllib.request`` for a download helper (with http, ssl and email:
about 20 ms), ``whoosh.reading`` takes ``cached_property`` from the package of that name, which
imports asyncio (about 13 ms), and ``whoosh.query`` compiles English morphology tables for its
``Variations`` query (about 4 ms). A query pays all three on every run. While whoosh loads, they
are stood in for by lazy functions and by ``functools.cached_property``; the stand-ins are then
taken out of ``sys.modules``, so any later import gets the real modules.

Four standard modules go the same way, about 2% of a cold query on the seeds between them
(13.5 million of its 744 million instructions): ``html`` with its table of entities, for the
escape function of whoosh's HTML highlighter, and ``calendar``, ``tempfile`` and ``queue``,
which whoosh only reaches into from functions a query never calls (date fields, a temporary
folder, threaded writing). Those three are stood in for by modules that load the real one on
first use of any of its names.
"""

from __future__ import annotations

import functools
import importlib
import sys
import types
from typing import Any


def _urlretrieve(*args: Any, **kwargs: Any) -> Any:
    """The real ``urllib.request.urlretrieve``, imported on first call."""
    import urllib.request

    return urllib.request.urlretrieve(*args, **kwargs)


def _variations(*args: Any, **kwargs: Any) -> Any:
    """The real ``whoosh.lang.morph_en.variations``, imported on first call."""
    from whoosh.lang import morph_en

    return morph_en.variations(*args, **kwargs)


def _escape(*args: Any, **kwargs: Any) -> Any:
    """The real ``html.escape``, imported on first call."""
    import html

    return html.escape(*args, **kwargs)


class _LazyModule(types.ModuleType):
    """A module imported for use inside functions: the real one loads on first use of a name."""

    def __getattr__(self, name: str) -> Any:
        if sys.modules.get(self.__name__) is self:  # still standing in: whoosh is loading
            raise AttributeError(f"{self.__name__}.{name} is not loaded yet")
        return getattr(importlib.import_module(self.__name__), name)


def import_whoosh() -> None:
    """Import whoosh's core with the stand-ins (nothing to do when it is already loaded)."""
    if "whoosh.reading" in sys.modules:
        return
    stand_ins = {
        "urllib.request": types.ModuleType("urllib.request"),
        "cached_property": types.ModuleType("cached_property"),
        "whoosh.lang.morph_en": types.ModuleType("whoosh.lang.morph_en"),
        "html": types.ModuleType("html"),
        **{name: _LazyModule(name) for name in ("calendar", "tempfile", "queue")},
    }
    stand_ins["urllib.request"].urlretrieve = _urlretrieve  # type: ignore[attr-defined]
    stand_ins["cached_property"].cached_property = functools.cached_property  # type: ignore[attr-defined]
    stand_ins["whoosh.lang.morph_en"].variations = _variations  # type: ignore[attr-defined]
    stand_ins["html"].escape = _escape  # type: ignore[attr-defined]
    missing = {name: module for name, module in stand_ins.items() if name not in sys.modules}
    sys.modules.update(missing)
    try:
        import whoosh.compat
        import whoosh.query
        import whoosh.reading  # noqa: F401
    finally:
        for name, module in missing.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
