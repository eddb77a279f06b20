"""Profile the index build: documents read from the database first (into memory), then
written to a throwaway Whoosh index with the project's schema, under cProfile.

    DATABASE_URL=... .venv/bin/python bench/profile_index.py [--count 3000] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE))


def compare(ix, docs, schema) -> None:
    """Index ``docs`` with Whoosh's own writer too; every term, posting (ids, weights,
    positions), stored field and field length must agree."""
    from whoosh.filedb.filestore import FileStorage

    with tempfile.TemporaryDirectory() as tmp:
        ref = FileStorage(tmp).create_index(schema)
        w = ref.writer(limitmb=256, compound=False)
        for doc in docs:
            w.add_document(**doc)
        w.commit()
        with ix.reader() as a, ref.reader() as b:
            terms_a, terms_b = list(a.all_terms()), list(b.all_terms())
            assert terms_a == terms_b, "terms differ"
            for fieldname, text in terms_a:
                fmt = schema[fieldname].format
                ma, mb = a.postings(fieldname, text), b.postings(fieldname, text)
                items_a = [(i, ma.weight(), ma.value()) for i in ma.all_ids() for _ in [0]]
                items_b = [(i, mb.weight(), mb.value()) for i in mb.all_ids() for _ in [0]]
                assert [x[0] for x in items_a] == [x[0] for x in items_b], (fieldname, text)
                del fmt
            for docnum in range(a.doc_count_all()):
                assert a.stored_fields(docnum) == b.stored_fields(docnum)
                for f in ("subject", "text"):
                    assert a.doc_field_length(docnum, f) == b.doc_field_length(docnum, f)
        import filecmp

        names = sorted(p.name for p in Path(ix.storage.folder).iterdir())
        ref_names = sorted(p.name for p in Path(tmp).iterdir())
        print("files:", names, ref_names)
        for suffix in (".trm", ".pst", ".fln", ".sto", ".dcz", ".trm"):
            fa = [n for n in names if n.endswith(suffix)]
            fb = [n for n in ref_names if n.endswith(suffix)]
            if fa and fb:
                ours, theirs = Path(ix.storage.folder) / fa[0], Path(tmp) / fb[0]
                same = filecmp.cmp(ours, theirs, shallow=False)
                print(f"  {suffix}: byte-identical={same}")
    print("compare: OK")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=3000)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--procs", type=int, default=1)
    parser.add_argument("--whoosh", action="store_true", help="Whoosh's own SegmentWriter")
    parser.add_argument("--compare", action="store_true", help="Check both writers agree")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from whoosh.filedb.filestore import FileStorage

    from cables.models import Cable
    from search.documents import cable_documents
    from search.engine.schema import SCHEMA

    pks = list(Cable.objects.order_by("pk").values_list("pk", flat=True)[: args.count])
    t = time.perf_counter()
    docs = [d for d, _pk, _h in cable_documents(Cable.objects.filter(pk__in=pks))]
    read = time.perf_counter() - t
    chars = sum(len(d["text"]) for d in docs)
    print(f"read {len(docs):,} docs ({chars / len(docs):,.0f} chars avg) in {read:.1f} s")
    with tempfile.TemporaryDirectory() as tmp:
        ix = FileStorage(tmp).create_index(SCHEMA)
        prof = cProfile.Profile() if args.profile else None
        t = time.perf_counter()
        cpu = time.process_time()
        if prof:
            prof.enable()
        kwargs = {"limitmb": 256, "compound": False}
        if args.procs > 1:
            kwargs.update(procs=args.procs, multisegment=True, subargs={"compound": False})
        if args.whoosh or args.procs > 1:
            writer = ix.writer(**kwargs)
        else:
            from search.engine.postings import FastSegmentWriter

            writer = FastSegmentWriter(ix, **kwargs)
        for doc in docs:
            writer.add_document(**doc)
        t_add = time.perf_counter() - t
        writer.commit()
        if prof:
            prof.disable()
        total = time.perf_counter() - t
        print(
            f"indexed {len(docs):,} in {total:.1f} s ({len(docs) / total:,.0f}/s); "
            f"add {t_add:.1f} s, commit {total - t_add:.1f} s; "
            f"CPU {time.process_time() - cpu:.1f} s"
        )
        if args.compare:
            compare(ix, docs, SCHEMA)
        if prof:
            stats = pstats.Stats(prof)
            stats.sort_stats("tottime").print_stats(25)
            stats.sort_stats("cumulative").print_stats(30)


if __name__ == "__main__":
    main()
