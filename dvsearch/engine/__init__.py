"""The one door to whoosh's internals.

Placeholder docstring: the interface is documented below once it is extracted.
"""

from dvsearch.engine.loading import import_whoosh

import_whoosh()
