"""Latency of the query mix on the peer: one warm-up, then timed repetitions, from a
client on loopback (psycopg, one connection, autocommit), wall clock per search.

JIT compilation is switched off for the session (``SET jit = off``): on these short
queries PostgreSQL's JIT only adds compile time, and a tuned deployment turns it off;
the peer should be PostgreSQL at its best, not at its defaults."""

from __future__ import annotations

import time

import psycopg
from harness.stats import latency_summary

from . import queries

MIN_REPS = 5


def measure(url: str, mix: list[dict], *, reps: int = 30, budget: float = 60.0) -> dict:
    results = {}
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SET jit = off")
        for query in mix:
            first = queries.run(conn, query)  # warm-up: plans, buffers
            samples = []
            deadline = time.perf_counter() + budget
            for i in range(reps):
                if i >= MIN_REPS and time.perf_counter() > deadline:
                    break
                started = time.perf_counter()
                queries.run(conn, query)
                samples.append((time.perf_counter() - started) * 1000)
            results[query["key"]] = {
                "label": query["label"],
                **first,
                "latency": latency_summary(samples),
                "samples": samples,
            }
    return results
