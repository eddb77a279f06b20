"""Synthetic Cablegate-scale corpus for the ingest benchmark (``bench/generate``).

Real cables of the shared corpus serve as templates: their identity (station, serial,
date, REF block, DECL date) is rewritten, their body text, TAGS and subject are kept.
No Django here: the generator runs with a bare Python 3.11. The id and month rules
come from the pure parser package, ``cables.parsing``.
"""
