"""The PostgreSQL full-text peer of issue 5: the same query mix with the same facet
counts, answered by PostgreSQL alone (a ``tsvector`` column with a GIN index, facets
by ``GROUP BY``), the approach of the Django project's own site and of History Lab.

* ``build``   the peer table, built from the ingested database, timed
* ``queries`` one search as SQL: count, facets, the first page with snippets
* ``measure`` latency of the mix, the same statistics as ours
"""
