"""The only place that knows the stage order: read → segment → analyse (nlp, entities, claims) → track → store.

`ingest_paths` runs a batch; `kb.pipeline.analysis` is the side-effect-free per-article part that worker
processes or a Dask cluster run; `kb.pipeline.workers` chooses the executor.
"""
