"""Benchmarks are collected from `bench_*.py` (only when tests/bench is named, as `make bench`
does) and share a little printing and timing."""

import statistics
import time
from collections.abc import Callable
from pathlib import Path

import pytest


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Module | None:
    # A file named on the command line is collected by pytest itself already.
    named = parent.session.isinitpath(file_path)
    if file_path.suffix == ".py" and file_path.name.startswith("bench_") and not named:
        module: pytest.Module = pytest.Module.from_parent(parent, path=file_path)
        return module
    return None


def percentile(samples: list[float], share: float) -> float:
    """The value below which `share` of the samples fall (nearest rank)."""
    ordered = sorted(samples)
    rank = max(0, min(len(ordered) - 1, round(share * len(ordered)) - 1))
    return ordered[rank]


def timed(action: Callable[[], object], runs: int) -> list[float]:
    """Seconds each of `runs` calls of `action` took."""
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return samples


def describe(name: str, samples: list[float]) -> str:
    total = sum(samples)
    return (
        f"{name:<44} {len(samples):>6} runs  {len(samples) / total:>8.1f}/s  "
        f"p50 {statistics.median(samples) * 1000:>8.1f} ms  "
        f"p99 {percentile(samples, 0.99) * 1000:>8.1f} ms"
    )
