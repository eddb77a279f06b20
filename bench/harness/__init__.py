"""The benchmark harness behind ``bench/run`` (issue 5).

Modules, in the order a run uses them:

* ``machine``   what the numbers were measured on (cores, RAM, versions, load)
* ``corpus``    generate or reuse a corpus; read its ``cables.csv`` cheaply
* ``parse``     parser throughput on one core
* ``procs``     run a subprocess, timed, with its own peak RSS (``os.wait4``)
* ``pg``        throwaway PostgreSQL databases and their size
* ``bulkload``  THE bulk-load command sequence (one list), timed per step
* ``rawwhoosh`` the raw-Whoosh baseline (runs as a subprocess)
* ``mix``       the fixed search query mix, shared by ours, the peer and HTTP
* ``searchworker`` our search, server side, in a Django-setup'd subprocess
* ``http``      gunicorn under wrk, and the workers' memory
* ``stats``     percentiles
* ``report``    the markdown report

The PostgreSQL full-text peer lives in ``bench/pgpeer``.
"""
