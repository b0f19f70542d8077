"""Reconciliation: every stored mention → one deal per real agreement, candidates, conflicts, evidence.

Pure functions over extracted mentions (no SQL here): ``storage.reconcile_db`` loads the mentions
from DuckDB, calls :func:`reconciliation.reconcile.reconcile` and writes what it returns.
"""
