"""Where article analysis runs: in-process, in worker processes started once, or on a Dask cluster.

Every executor yields results in submission order, so a parallel ingest writes the same rows in the
same order as a serial one. At most `window` articles are in flight, which bounds memory.
"""

from __future__ import annotations

import collections
import concurrent.futures
import multiprocessing
import os
import signal
from concurrent.futures.process import BrokenProcessPool
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
    # The parent decides how to stop: Ctrl-C (sent to the whole process group) is its business, and
    # SIGTERM from the parent's shutdown ends a worker quietly.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
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

    def close(self, *, terminate: bool = False) -> None:
        """Release resources (`terminate`: stop at once, dropping unfinished work)."""
        self.pending.clear()
        self.cache.close()


def _broken_future() -> concurrent.futures.Future:
    future: concurrent.futures.Future = concurrent.futures.Future()
    future.set_exception(BrokenProcessPool("the worker pool broke"))
    return future


class ProcessExecutor(SerialExecutor):
    """Analyze in N worker processes, each loading the pipelines once.

    A worker that dies (killed, out of memory, a crash in native code) breaks the pool: a new pool is
    started and every article that had not come back is analysed again, up to `retries` times each;
    an article still without a result then comes back as a WorkerError (reported, never dropped).
    """

    def __init__(self, db_path: str | None, workers: int, *, retries: int = 2):
        super().__init__(db_path)
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        self.ctx = multiprocessing.get_context(method)
        self.db_path = db_path
        self.workers = workers
        self.window = workers * 4
        self.retries = retries
        self.restarts = 0  # how many times a dead worker broke the pool
        self.pool = self._new_pool()

    def _new_pool(self) -> concurrent.futures.ProcessPoolExecutor:
        return concurrent.futures.ProcessPoolExecutor(
            self.workers, mp_context=self.ctx, initializer=_init_worker,
            initargs=(self.db_path, nlp.fast_ops_active()))

    def submit(self, task: tuple, tag: Any) -> None:
        try:
            future = self.pool.submit(_analyze_in_worker, task)
        except BrokenProcessPool:  # a worker died since the last submit
            self._restart()
            future = self.pool.submit(_analyze_in_worker, task)
        self.pending.append([task, tag, future, 0])

    def _restart(self) -> None:
        self.restarts += 1
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.pool = self._new_pool()
        for item in self.pending:
            future = item[2]
            if future.done() and not future.cancelled() and not isinstance(future.exception(), BrokenProcessPool):
                continue  # finished before the pool broke: keep its result
            item[3] += 1
            if item[3] <= self.retries:
                try:
                    item[2] = self.pool.submit(_analyze_in_worker, item[0])
                except BrokenProcessPool:  # broke again at once: the next drain restarts it
                    item[3] -= 1
                    item[2] = _broken_future()
            else:
                item[2] = None

    def drain(self, *, all_: bool = False):
        while self.pending and (all_ or len(self.pending) >= self.window):
            task, tag, future, attempts = self.pending[0]
            if future is None:
                self.pending.popleft()
                yield tag, WorkerError(f"a worker process died while analysing this article "
                                       f"({attempts} attempts); re-run kb ingest to try it again")
                continue
            try:
                result = future.result()
            except BrokenProcessPool:
                self._restart()
                continue
            except Exception as exc:
                result = exc
            self.pending.popleft()
            yield tag, result

    def close(self, *, terminate: bool = False) -> None:
        if terminate:
            for process in list((getattr(self.pool, "_processes", None) or {}).values()):
                process.terminate()
            self.pool.shutdown(wait=True, cancel_futures=True)
        else:
            self.pool.shutdown(wait=True)
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

    def close(self, *, terminate: bool = False) -> None:
        if terminate:
            for future, _ in self.pending:
                future.cancel()
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

