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
