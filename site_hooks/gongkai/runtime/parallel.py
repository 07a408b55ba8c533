"""Run independent per-item work on every core, keeping the order of the results.

Builds use it for per-plan work (reading and checking files, rendering pages). It forks:
the workers inherit the parent's memory (project, templates), so nothing is sent to them
but item numbers, and only results come back. It falls back to a plain loop for small
inputs, on one core, when GONGKAI_JOBS=1, or where fork is unsafe (the preview server has
threads; it calls with parallel=False).
"""
from __future__ import annotations

import ctypes
import gc
import glob
import multiprocessing
import os
import pickle
import signal
import sys
import tempfile
import time
from typing import Any, Callable, NamedTuple, Sequence

MIN_ITEMS = 400  # below this, starting workers costs more than it saves
# Tasks of a map per core: small ones even out slow items, and with pmap's ``then`` the last results this process
# works on alone are few. Building 10,000 plans into tmpfs, three alternating runs each: 4 a core 13.5–14.0 s,
# 16 a core 13.1–13.3 s (issue 18).
TASKS_PER_JOB = 16


class _Map(NamedTuple):
    """The map in progress: inherited by the forked workers, read by this process's own share too."""

    runner: Callable[[Any], Any]  # runs one task
    func: Callable[..., Any]  # what the caller maps
    items: Sequence[Any]
    tasks: list[Any]
    counter: Any  # shared: the next task to take
    prefix: str  # the workers' result files: <temporary folder>/<prefix>…


_work: _Map | None = None


def jobs() -> int:
    try:
        wanted = int(os.environ.get("GONGKAI_JOBS", "0"))
    except ValueError:
        wanted = 0
    return wanted if wanted > 0 else (os.cpu_count() or 1)


def _run_chunk(bounds: tuple[int, int]) -> list[Any]:
    assert _work is not None
    return [_work.func(_work.items[i]) for i in range(*bounds)]


def _run_strided(start_step: tuple[int, int]) -> list[Any]:
    assert _work is not None
    func, items = _work.func, _work.items
    return [func(items[i]) for i in range(start_step[0], len(items), start_step[1])]


def _run_block(bounds: tuple[int, int]) -> Any:
    assert _work is not None
    return _work.func(bounds[0], _work.items[bounds[0]:bounds[1]])


def _fork_ok(parallel: bool, count: int) -> bool:
    # not inside a map already (this process takes tasks too): a task that maps again runs its map in a loop
    return parallel and _work is None and jobs() > 1 and count >= MIN_ITEMS and "fork" in multiprocessing.get_all_start_methods()


def _bounds(count: int, pieces: int) -> list[tuple[int, int]]:
    size = -(-count // pieces)
    return [(i, min(i + size, count)) for i in range(0, count, size)]


def _fork_map(runner: Callable[[tuple[int, int]], Any], func: Callable[..., Any], items: Sequence[Any],
              tasks: list[tuple[int, int]], arrived: Callable[[int, Any], None] | None = None) -> list[Any]:
    """``[runner(t) for t in tasks]`` on every core: ``jobs() - 1`` forked workers and this process itself,
    each taking the next task until none is left (a shared counter), results in the order of ``tasks``.

    This process would only wait otherwise. Working itself, it needs one forked copy fewer (each worker's
    copy-on-write pages of the project: about 0.3 GB at 10,000 plans) and its own share of the results is
    never pickled.

    A worker's results come back task by task, each pickled into a temporary file (one pool call takes one
    task and returns the file's name), and this process reads them between its own tasks. Sent all at once when
    a worker had no task left (as until issue 18's second round), the workers' half of the parsed plan files was
    pickled and read while the other core idled: 0.9 s of 3.5 at 10,000 plans. Through the pool's pipe
    instead of a file, a worker waited for each 64 KB to be read by a thread of this busy process.

    ``arrived(task number, result)`` is called here with each result as soon as this process has it."""
    global _work
    context = multiprocessing.get_context("fork")
    prefix = f"gongkai-map-{os.getpid()}-{time.monotonic_ns()}-"  # this map's result files
    _work = _Map(runner, func, items, tasks, context.Value("i", 0), prefix)
    frozen = _freeze()
    results: list[Any] = [None] * len(tasks)
    try:
        with context.Pool(jobs() - 1, initializer=die_with_parent, initargs=(os.getpid(),)) as pool:
            theirs = [pool.apply_async(_take_one) for _ in tasks]  # as many calls as tasks: enough if this process takes none
            while (i := _next_task()) is not None:
                results[i] = runner(tasks[i])
                if arrived is not None:
                    arrived(i, results[i])
                pending = []
                for call in theirs:
                    if call.ready():
                        _collect(call, results, arrived)
                    else:
                        pending.append(call)
                theirs = pending
            for call in theirs:
                call.wait()
                _collect(call, results, arrived)
    except BaseException:  # the pool has ended (a failure terminates it): remove the results no one will read
        for left in glob.glob(os.path.join(glob.escape(tempfile.gettempdir()), glob.escape(prefix) + "*")):
            _unlink(left)
        raise
    finally:
        _work = None
        if frozen:
            gc.unfreeze()
    return results


def _next_task() -> int | None:
    assert _work is not None
    with _work.counter.get_lock():
        i = _work.counter.value
        _work.counter.value = i + 1
    return i if i < len(_work.tasks) else None


def _take_one() -> tuple[int, str | None, Any] | None:
    """In a worker: run the next task of the current map, if one is left: (task number, file holding its result,
    None), or (task number, None, result) when the temporary folder cannot take the file (full, read-only): the
    result then goes through the pool's pipe, slower but the same."""
    i = _next_task()
    if i is None:
        return None
    assert _work is not None
    result = _work.runner(_work.tasks[i])
    path = None
    try:
        fd, path = tempfile.mkstemp(prefix=_work.prefix, suffix=".pickle")
        with os.fdopen(fd, "wb") as f:
            pickle.dump(result, f, protocol=pickle.HIGHEST_PROTOCOL)
    except OSError:
        if path is not None:
            _unlink(path)
        return i, None, result
    return i, path, None


def _collect(call: Any, results: list[Any], arrived: Callable[[int, Any], None] | None) -> None:
    """Read a finished pool call's result into ``results`` (its failure is raised here)."""
    taken = call.get()
    if taken is not None:
        i, path, results[i] = taken
        if path is not None:
            try:
                with open(path, "rb") as f:
                    results[i] = pickle.load(f)
            finally:
                _unlink(path)
        if arrived is not None:
            arrived(i, results[i])


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _freeze() -> bool:
    """Move every object that exists now out of the garbage collector's sight before forking, as the
    gc module's documentation advises: otherwise a full collection in a worker walks the whole
    inherited heap (10,000 plans: over a GB) and writes into every object's header, copying each page."""
    if os.environ.get("GONGKAI_GC_FREEZE", "1") == "0":
        return False
    gc.freeze()
    return True


def pmap(func: Callable[[Any], Any], items: Sequence[Any], *, parallel: bool = True, interleave: bool = False,
         then: Callable[[int, list[Any]], None] | None = None) -> list[Any]:
    """``[func(x) for x in items]``, split over the cores when it pays off.

    ``interleave``: the items are not alike (a few large pages first, then thousands of small ones):
    each worker task takes every n-th item instead of a run of neighbours, so the large items are
    spread over the tasks instead of all landing in the first one.

    ``then(start, results)`` (not with ``interleave``): called in this process with each run of results,
    ``results[k]`` being ``func(items[start + k])``, as soon as it is here, in no particular order; so this
    process works on the first results while the workers make the last ones."""
    if interleave and then is not None:
        raise ValueError("pmap: then and interleave do not go together")
    if not _fork_ok(parallel, len(items)):
        results = [func(x) for x in items]
        if then is not None and results:
            then(0, results)
        return results
    pieces = jobs() * TASKS_PER_JOB
    if not interleave:
        bounds = _bounds(len(items), pieces)
        arrived = None if then is None else (lambda i, chunk: then(bounds[i][0], chunk))
        return [r for chunk in _fork_map(_run_chunk, func, items, bounds, arrived) for r in chunk]
    out: list[Any] = [None] * len(items)
    for start, chunk in enumerate(_fork_map(_run_strided, func, items, [(k, pieces) for k in range(pieces)])):
        out[start::pieces] = chunk
    return out


def background(label: str, func: Callable[..., Any], *args: Any, parallel: bool = True) -> Callable[[], tuple[bool, Any]]:
    """Start ``func(*args)`` in a forked process and go on; the returned function waits for it and
    gives ``(succeeded, func's result)`` (the result comes back pickled through a temporary file; a
    failure is printed as ``label：reason``). Without ``parallel``, on one core (or GONGKAI_JOBS=1) or
    without fork, ``func`` runs at once (and an exception propagates as usual)."""
    if not parallel or jobs() < 2 or "fork" not in multiprocessing.get_all_start_methods():
        result = func(*args)
        return lambda: (True, result)
    fd, out = tempfile.mkstemp(prefix="gongkai-", suffix=".pickle")
    os.close(fd)
    sys.stdout.flush()  # the child must not write the parent's buffered output a second time
    sys.stderr.flush()
    proc = multiprocessing.get_context("fork").Process(target=_background_child, args=(label, func, args, out, os.getpid()))
    if _freeze():
        proc.start()
        gc.unfreeze()  # the child keeps its frozen copy; this process goes on as before
    else:
        proc.start()

    def wait() -> tuple[bool, Any]:
        proc.join()
        try:
            if proc.exitcode != 0:
                return False, None
            with open(out, "rb") as f:
                return True, pickle.load(f)
        finally:
            os.unlink(out)

    wait.running = proc.is_alive  # type: ignore[attr-defined]  # not waited for yet: is it still working?
    return wait


def trim_heap() -> bool:
    """Give the free pages of the C heap back to the system (glibc's ``malloc_trim``); True if it could.

    Freed Python objects and numpy arrays leave pages in the heap that the process keeps, between objects that
    live on: 66 MB after the search index writer has counted 10,000 plans. In a build's process tree every
    such page counts in full (issue 18: the 1 GB peak). Elsewhere than glibc, nothing is done."""
    try:
        return bool(ctypes.CDLL(None).malloc_trim(0))
    except (OSError, AttributeError):
        return False


def die_with_parent(parent: int) -> None:
    """In a forked process: end when ``parent`` ends, even killed (SIGKILL, a cancelled CI job, the OOM killer).

    Otherwise a writer outlives a killed build and goes on writing into its temporary site folder after the
    next build has removed it (Linux: PR_SET_PDEATHSIG; elsewhere nothing is done)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent ended before the call: the signal will not come
        os._exit(1)


def _background_child(label: str, func: Callable[..., Any], args: tuple, out: str, parent: int) -> None:
    die_with_parent(parent)
    try:
        result = func(*args)
        with open(out, "wb") as f:
            pickle.dump(result, f, protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException as exc:  # noqa: BLE001 - the parent reports the failure; no traceback for editors
        from gongkai.problems import os_error_text

        print(f"{label}：{os_error_text(exc)}", file=sys.stderr)
        sys.stderr.flush()
        os._exit(1)


def pmap_blocks(func: Callable[[int, Sequence[Any]], Any], items: Sequence[Any], *, parallel: bool = True) -> list[Any]:
    """``func(start, items[start:stop])`` for one block of consecutive items per worker, results in order.

    For work that folds many items into one result (a partial search index), where sending a
    result back per item would cost more than the work. One block when not parallel."""
    if not _fork_ok(parallel, len(items)):
        return [func(0, items)] if items else []
    return _fork_map(_run_block, func, items, _bounds(len(items), jobs()))
