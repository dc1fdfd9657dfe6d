"""whoosh's public API, as the modules outside the engine may use it: schema fields, query
classes and the analysis base classes.

They import it from here, not from whoosh, so that whoosh always loads through the engine
package's start-up shim (``loading.py``), whichever module a process imports first.
"""

from whoosh import query as query
from whoosh.analysis import Filter as Filter
from whoosh.analysis import Token as Token
from whoosh.analysis import Tokenizer as Tokenizer
from whoosh.fields import ID as ID
from whoosh.fields import STORED as STORED
from whoosh.fields import TEXT as TEXT
from whoosh.fields import Schema as Schema
