"""Issue 11: admission and fair share in the worker pool (in process, no HTTP, no timing)."""

from __future__ import annotations

import asyncio

import pytest

from iapontology.serve.pool import Busy, QueryPool
from iapontology.serve.protocol import acceptable_formats
from iapontology.serve.settings import ServerSettings
from iapontology.serve.worker import Job

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
QUICK = "SELECT ?l WHERE { IAPO:0000104 rdfs:label ?l }"
FORMATS = acceptable_formats(None, None)


def job(text: str) -> Job:
    return Job(text, FORMATS)


async def occupied(pool: QueryPool) -> asyncio.Task:
    """Start a runaway query of client "heavy" and wait until it holds a worker."""
    task = asyncio.create_task(pool.run("heavy", job(RUNAWAY)))
    while not pool.running:
        await asyncio.sleep(0.01)
    return task


def test_per_client_cap_and_bounded_queue() -> None:
    async def scenario() -> tuple[Busy, Busy, tuple]:
        pool = QueryPool(ServerSettings(workers=1, per_client=1, queue=1, timeout_seconds=3,
                                        preempt_after=600))
        pool.start()
        try:
            heavy = await occupied(pool)
            with pytest.raises(Busy) as second:
                await pool.run("heavy", job(QUICK))
            waiting = asyncio.create_task(pool.run("light", job(QUICK)))
            while not pool.waiting:
                await asyncio.sleep(0.01)
            with pytest.raises(Busy) as third:
                await pool.run("third", job(QUICK))
            await heavy
            return second.value, third.value, await waiting
        finally:
            pool.close()

    per_client, queue_full, waited = asyncio.run(scenario())
    assert per_client.status == 429 and per_client.retry_after >= 1
    assert queue_full.status == 503 and queue_full.retry_after >= 3
    assert waited[0] == "ok"  # the waiting query ran once the runaway was stopped


def test_a_light_client_preempts_a_heavy_clients_runaway() -> None:
    async def scenario() -> tuple[tuple, bool, tuple, tuple]:
        pool = QueryPool(ServerSettings(workers=1, timeout_seconds=60, preempt_after=0.2))
        pool.start()
        try:
            heavy = await occupied(pool)
            while pool.usage("heavy") <= 1.5:  # the heavy client builds up usage
                await asyncio.sleep(0.05)
            light = await pool.run("light", job(QUICK))
            heavy_ended_before = heavy.done()
            return light, heavy_ended_before, await heavy, await pool.run("heavy", job(QUICK))
        finally:
            pool.close()

    light, heavy_ended_before, heavy, after = asyncio.run(scenario())
    assert light[0] == "ok"  # answered although the runaway had the only worker
    assert heavy_ended_before  # ... because the runaway was stopped for it, not at 60 s
    assert heavy[:2] == ("error", 503) and "let other clients' queries run" in heavy[2]
    assert after[0] == "ok"  # the stopped worker was replaced
