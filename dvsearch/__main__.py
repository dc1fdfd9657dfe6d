"""``python -m dvsearch`` runs the command line."""

from dvsearch.cli import main

main()
