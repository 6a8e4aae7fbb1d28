"""Where article analysis runs: in-process, in worker processes started once, or on a Dask cluster.

Every executor yields results in submission order, so a parallel ingest writes the same rows in the
same order as a serial one. At most `window` articles are in flight, which bounds memory.
"""

from __future__ import annotations

import collections
import multiprocessing
import os
from typing import Any, Callable, Iterator

from kb import nlp
from kb.errors import KBError
from kb.pipeline.analysis import ArticleAnalysis, analyze_article, analyze_articles, warm_up
from kb.store.cache import CacheReader

_worker_cache: CacheReader | None = None


class WorkerError(KBError):
    """An article's analysis failed in a worker (the worker died or raised)."""


def _init_worker(db_path: str | None, fast_ops: bool) -> None:
    global _worker_cache
    _worker_cache = CacheReader(db_path)
    if fast_ops:
        nlp.enable_fast_ops()
    warm_up()


def _analyze_in_worker(task: tuple) -> ArticleAnalysis:
    article, chunks = task
    return analyze_article(article, chunks, _worker_cache)


def _analyze_without_cache(task: tuple) -> ArticleAnalysis:
    article, chunks = task
    return analyze_article(article, chunks, None)


class SerialExecutor:
    """Analyze in this process, a few articles at a time so the pipeline sees larger batches."""

    window = 8              # articles analysed together (results still come back one per article)
    window_chars = 200_000  # ...or fewer, when they are long

    def __init__(self, db_path: str | None):
        self.cache = CacheReader(db_path)
        self.pending: collections.deque = collections.deque()
        self.pending_chars = 0

    def submit(self, task: tuple, tag: Any) -> None:
        """Queue one (article, chunks) task."""
        self.pending.append((task, tag))
        self.pending_chars += len(task[0].text)

    def drain(self, *, all_: bool = False) -> Iterator[tuple[Any, ArticleAnalysis | BaseException]]:
        """Yield (tag, result or exception) for finished tasks, in submission order."""
        while self.pending and (all_ or len(self.pending) >= self.window or self.pending_chars >= self.window_chars):
            batch = [self.pending.popleft() for _ in range(min(self.window, len(self.pending)))]
            self.pending_chars -= sum(len(task[0].text) for task, _ in batch)
            try:
                results = analyze_articles([task for task, _ in batch], self.cache)
            except Exception as exc:  # reported per article by the caller
                results = [exc] * len(batch)
            for (_, tag), result in zip(batch, results):
                yield tag, result

    def close(self) -> None:
        """Release resources."""
        self.cache.close()


class ProcessExecutor(SerialExecutor):
    """Analyze in N worker processes, each loading the pipelines once."""

    def __init__(self, db_path: str | None, workers: int):
        super().__init__(db_path)
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        ctx = multiprocessing.get_context(method)
        self.window = workers * 4
        self.pool = ctx.Pool(workers, initializer=_init_worker, initargs=(db_path, nlp.fast_ops_active()),
                             maxtasksperchild=None)

    def submit(self, task: tuple, tag: Any) -> None:
        self.pending.append((self.pool.apply_async(_analyze_in_worker, (task,)), tag))

    def drain(self, *, all_: bool = False):
        while self.pending and (all_ or len(self.pending) >= self.window):
            result, tag = self.pending.popleft()
            try:
                yield tag, result.get()
            except Exception as exc:
                yield tag, exc

    def close(self) -> None:
        self.pool.close()
        self.pool.join()
        super().close()


class DaskExecutor(SerialExecutor):
    """Analyze on an existing Dask cluster; a task whose worker dies is retried on another worker."""

    def __init__(self, scheduler: str | Any, *, retries: int = 2,
                 analyze: Callable[[tuple], ArticleAnalysis] = _analyze_without_cache):
        super().__init__(None)
        self.analyze = analyze
        try:
            from distributed import Client
        except ImportError as exc:
            raise KBError("--dask-scheduler needs dask.distributed: pip install 'kb[dask]'") from exc
        try:
            self.client = scheduler if hasattr(scheduler, "submit") else Client(scheduler, timeout="20s")
        except OSError as exc:
            raise KBError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from exc
        self.own_client = not hasattr(scheduler, "submit")
        self.retries = retries
        workers = len(self.client.scheduler_info().get("workers", {})) or 1
        self.window = workers * 4

    def submit(self, task: tuple, tag: Any) -> None:
        future = self.client.submit(self.analyze, task, retries=self.retries, pure=False)
        self.pending.append((future, tag))

    def drain(self, *, all_: bool = False):
        while self.pending and (all_ or len(self.pending) >= self.window):
            future, tag = self.pending.popleft()
            try:
                yield tag, future.result()
            except Exception as exc:
                yield tag, WorkerError(f"analysis failed on the Dask cluster after {self.retries} retries: "
                                       f"{type(exc).__name__}: {exc}")

    def close(self) -> None:
        if self.own_client:
            self.client.close()


def make_executor(db_path: str | None, *, workers: int = 1, dask_scheduler: str | Any = None) -> SerialExecutor:
    """The executor for the requested parallelism (a Dask address, a Client, or a DaskExecutor)."""
    if isinstance(dask_scheduler, SerialExecutor):
        return dask_scheduler
    if dask_scheduler is not None:
        return DaskExecutor(dask_scheduler)
    if workers == 0:
        workers = os.cpu_count() or 1
    if workers > 1:
        return ProcessExecutor(db_path, workers)
    return SerialExecutor(db_path)

