"""The search engine: Whoosh plus the project's own machinery, with no Django.

Imports only point down, each module taking its names from the ones above it here::

    schema      the schema contract: fields, analyzers, boosts, query fields,
                classification slugs, the stored facet row, days, the document
    storage     generations, the write lock, the sidecar files under ``columns/``
    hot         the hot-postings sidecar files (numpy arrays)
    analysis    the fast analysis path of the segment writer (public Whoosh only)
    postings    the ONLY module that touches Whoosh internals: posting blocks,
                positions, deletions, the fast segment writer
    columns     the column store (facet values as numpy arrays per document)
    writing     ``open_writer`` / ``segment_writer``: commits, then sidecars
    scoring     BM25F over numpy arrays
    evaluate    a Whoosh query -> a document mask and scores
    ranking     the result set in display order
    similar     more like this: the cables most like one cable
    highlight   snippets
    query       the query language (text -> a checked, parsed Whoosh query)
    api         the entry point: parse, open, evaluate

The Django layer (``search.services``, ``search.selectors``, ...) sits on top.
"""
