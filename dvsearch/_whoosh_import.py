"""Loading whoosh without two imports it never uses here, which cost a third of its load time.

``whoosh.compat`` imports ``urllib.request`` for a download helper (with http, ssl and email:
about 20 ms), and ``whoosh.reading`` takes ``cached_property`` from the package of that name,
which imports asyncio (about 13 ms). A query pays both on every run. While whoosh loads, the
two are stood in for by a lazy ``urlretrieve`` and by ``functools.cached_property``; the stand-ins
are then taken out of ``sys.modules``, so any later import gets the real modules.
"""

from __future__ import annotations

import functools
import sys
import types
from typing import Any


def _urlretrieve(*args: Any, **kwargs: Any) -> Any:
    """The real ``urllib.request.urlretrieve``, imported on first call."""
    import urllib.request

    return urllib.request.urlretrieve(*args, **kwargs)


def import_whoosh() -> None:
    """Import whoosh's core with the stand-ins (nothing to do when it is already loaded)."""
    if "whoosh.reading" in sys.modules:
        return
    stand_ins = {
        "urllib.request": types.ModuleType("urllib.request"),
        "cached_property": types.ModuleType("cached_property"),
    }
    stand_ins["urllib.request"].urlretrieve = _urlretrieve  # type: ignore[attr-defined]
    stand_ins["cached_property"].cached_property = functools.cached_property  # type: ignore[attr-defined]
    missing = {name: module for name, module in stand_ins.items() if name not in sys.modules}
    sys.modules.update(missing)
    try:
        import whoosh.compat
        import whoosh.reading  # noqa: F401
    finally:
        for name, module in missing.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
