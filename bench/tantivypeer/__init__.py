"""The compiled-engine peer of issue 12: the same documents, schema and query mix on
tantivy (Rust, through its official Python bindings), as the physical-limit anchor for
the Whoosh-based engine. Nothing here imports the application's search internals: the
documents are read from the ingested database with plain SQL (the tables the
PostgreSQL peer also reads), and only the list of our index's field names is asked of
``search`` (:func:`tantivypeer.schema.our_fields`), to report what the peer leaves out.

* ``schema``  the tantivy schema and analyzers, as close to ours as tantivy allows
* ``build``   read the cables from the database, index them, timed
* ``queries`` one search of the mix: count, facets (fast-field aggregations), page
* ``worker``  ``python -m tantivypeer.worker``: build, then measure the mix; one JSON
"""
