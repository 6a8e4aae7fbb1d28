"""Faster CPU inference for spaCy/GiNZA: thinc's matrix products through NumPy's BLAS instead of blis.

thinc's `NumpyOps.gemm` calls blis, whose bundled kernels are older and slower here than the
OpenBLAS that NumPy ships (about 1.4x per product on this machine, more for small products).
thinc has its own switch for this, `NumpyOps(use_blis=False)`, which sends `gemm` to
`numpy.dot`; `use_fast_ops()` turns it on for the current ops object. Models keep the ops object
that was current when they were built, and spaCy builds every pipeline with the same one, so this
works whether it is called before or after `spacy.load`.

OpenBLAS is also limited to one thread: its worker threads spin while waiting, and with the rest
of the pipeline single-threaded and other processes on the machine they cost more CPU than they
save (measured: benchmarks/README.md). An explicit OPENBLAS_NUM_THREADS / OMP_NUM_THREADS wins.

Only CPU ops are touched; with a GPU (CupyOps) or another backend nothing changes.
"""

from __future__ import annotations

import ctypes
import os
from pathlib import Path

import numpy
from thinc.api import get_current_ops
from thinc.backends.numpy_ops import NumpyOps

# Symbol names of OpenBLAS' thread setter in the builds NumPy ships (scipy-openblas, 64-bit ints)
# and in distribution packages.
_SET_THREADS = ("scipy_openblas_set_num_threads64_", "openblas_set_num_threads64_",
                "openblas_set_num_threads")
_GET_THREADS = ("scipy_openblas_get_num_threads64_", "openblas_get_num_threads64_",
                "openblas_get_num_threads")
_THREAD_ENV = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")

_saved_threads: int | None = None


def use_fast_ops(*, blas_threads: int | None = 1) -> str:
    """Send thinc's matrix products to NumPy's BLAS for this process (idempotent); describe what was done."""
    global _saved_threads
    ops = get_current_ops()
    if not isinstance(ops, NumpyOps):
        return f"unchanged: current thinc ops is {type(ops).__name__}, not NumpyOps"
    ops.use_blis = False
    threads = blas_thread_count()
    if blas_threads is not None and threads is not None and not any(v in os.environ for v in _THREAD_ENV):
        if _saved_threads is None:
            _saved_threads = threads
        threads = _set_blas_threads(blas_threads)
    return f"thinc gemm via numpy ({_blas_name()}, threads={threads if threads is not None else 'unknown'})"


def ingest_blas_threads(workers: int = 1, distributed: bool = False) -> int:
    """BLAS threads for an ingest: all cores (up to 4) when one process analyses, else 1 per process.

    With worker processes every core already runs a pipeline; a single process leaves the other
    cores idle, and OpenBLAS can use them for the matrix products (the rest of the pipeline stays
    single-threaded, so more than 4 threads gains nothing). `kb.cli` sets
    OPENBLAS_THREAD_TIMEOUT=1 before NumPy loads so idle BLAS threads sleep instead of spinning.
    """
    if workers != 1 or distributed:
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, min(cores, 4))


def use_stock_ops() -> None:
    """Undo use_fast_ops: blis matrix products and the BLAS thread count from before."""
    global _saved_threads
    ops = get_current_ops()
    if isinstance(ops, NumpyOps):
        ops.use_blis = True
    if _saved_threads is not None:
        _set_blas_threads(_saved_threads)
        _saved_threads = None


def fast_ops_enabled() -> bool:
    """True when the current thinc ops send matrix products to NumPy rather than blis."""
    ops = get_current_ops()
    return isinstance(ops, NumpyOps) and not ops.use_blis


def blas_thread_count() -> int | None:
    """Threads NumPy's OpenBLAS uses, or None when it cannot be found."""
    _, _, get = _openblas()
    return int(get()) if get is not None else None


def _set_blas_threads(n: int) -> int | None:
    _, set_, _ = _openblas()
    if set_ is None:
        return None
    set_(int(n))
    return blas_thread_count()


def _blas_name() -> str:
    try:
        config = numpy.show_config(mode="dicts")
        blas = config["Build Dependencies"]["blas"]
        return f"{blas.get('name', 'blas')} {blas.get('version', '')}".strip()
    except Exception:  # show_config's layout is not a stable API; the name is only informative
        return "numpy BLAS"


_openblas_cache: tuple | None = None


def _openblas() -> tuple:
    """(library, set_num_threads, get_num_threads) of the OpenBLAS NumPy loaded, Nones if absent."""
    global _openblas_cache
    if _openblas_cache is not None:
        return _openblas_cache
    found: tuple = (None, None, None)
    for path in _candidate_libraries():
        try:
            lib = ctypes.CDLL(str(path))
        except OSError:
            continue
        set_ = next((getattr(lib, s) for s in _SET_THREADS if hasattr(lib, s)), None)
        get = next((getattr(lib, s) for s in _GET_THREADS if hasattr(lib, s)), None)
        if set_ is not None and get is not None:
            set_.argtypes, set_.restype = [ctypes.c_int], None
            get.argtypes, get.restype = [], ctypes.c_int
            found = (lib, set_, get)
            break
    _openblas_cache = found
    return found


def _candidate_libraries() -> list[Path]:
    # Wheels vendor OpenBLAS next to the package (numpy.libs); distribution builds link the
    # system library, which /proc/self/maps names once NumPy is imported.
    site = Path(numpy.__file__).resolve().parent.parent
    paths = sorted(site.glob("numpy.libs/*openblas*"))
    try:
        with open("/proc/self/maps") as maps:
            for line in maps:
                name = line.rsplit(" ", 1)[-1].strip()
                if "openblas" in name.lower() and Path(name) not in paths:
                    paths.append(Path(name))
    except OSError:
        pass
    return paths
