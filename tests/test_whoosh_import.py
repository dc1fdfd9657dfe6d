"""whoosh loads without the modules it does not need, and they stay importable for others."""

from __future__ import annotations

import subprocess
import sys

_CHECK = """
import sys
import dvsearch.cli
print(sorted(name for name in ("asyncio", "urllib.request", "http.client") if name in sys.modules))
import urllib.request, cached_property
print(callable(urllib.request.urlopen), hasattr(cached_property, "threaded_cached_property"))
"""


def test_a_query_process_does_not_load_urllib_or_asyncio() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _CHECK], capture_output=True, text=True, check=True
    )
    assert done.stdout.split("\n")[:2] == ["[]", "True True"]


_STANDARD_CHECK = """
import sys
import dvsearch.cli
print(sorted(name for name in ("html", "calendar", "tempfile", "queue") if name in sys.modules))
import queue, tempfile
import whoosh.compat, whoosh.filedb.filestore, whoosh.util.times
print(whoosh.compat.htmlescape("<b>Dân & vận</b>", quote=False))
print(whoosh.util.times.calendar.monthrange(2024, 2))
print(whoosh.compat.queue.Queue is queue.Queue)
print(whoosh.filedb.filestore.tempfile.gettempdir() == tempfile.gettempdir())
"""


def test_standard_modules_whoosh_uses_in_functions_load_when_first_used() -> None:
    """html, calendar, tempfile and queue stay unloaded by a query, and whoosh's names for
    them work as the real modules once used."""
    done = subprocess.run(
        [sys.executable, "-c", _STANDARD_CHECK], capture_output=True, text=True, check=True
    )
    assert done.stdout.splitlines() == [
        "[]",
        "&lt;b&gt;Dân &amp; vận&lt;/b&gt;",
        "(3, 29)",
        "True",
        "True",
    ]
