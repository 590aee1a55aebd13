"""The test services are real servers: PostgreSQL, Redis and Kafka answer their own protocols."""

from __future__ import annotations

import asyncio
import gc
import socket
import uuid
from pathlib import Path

import psycopg
import pytest
import redis.asyncio as aioredis
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.partitioner import murmur2
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from infra.local.services import create_database, drop_database, running, start_redis

pytestmark = pytest.mark.integration


def _libpq(url: str) -> str:
    """SQLAlchemy URL -> libpq URL for psycopg."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def test_postgres_version_via_psycopg(postgres_url: str) -> None:
    with psycopg.connect(_libpq(postgres_url)) as conn:
        row = conn.execute("select version(), current_database()").fetchone()
    assert row is not None
    version, database = row
    assert version.startswith("PostgreSQL ")
    assert database == make_url(postgres_url).database


async def test_postgres_version_via_sqlalchemy(postgres_url: str) -> None:
    engine = create_async_engine(postgres_url)
    try:
        async with engine.connect() as conn:
            version = (await conn.execute(text("select version()"))).scalar_one()
            server_version = (await conn.execute(text("show server_version_num"))).scalar_one()
    finally:
        await engine.dispose()
    assert version.startswith("PostgreSQL ")
    assert int(server_version) >= 160000


def test_create_database_gives_a_separate_database(postgres_url: str) -> None:
    name = f"lunch_extra_{uuid.uuid4().hex[:8]}"
    url = create_database(postgres_url, name)
    try:
        assert make_url(url).database == name
        assert create_database(postgres_url, name) == url  # idempotent
        with psycopg.connect(_libpq(url)) as conn:
            conn.execute("create table t (x int)")
            conn.execute("insert into t values (41)")
            row = conn.execute("select x + 1, current_database() from t").fetchone()
        assert row == (42, name)
    finally:
        drop_database(postgres_url, name)
    with psycopg.connect(_libpq(postgres_url)) as conn:
        gone = conn.execute("select 1 from pg_database where datname = %s", (name,)).fetchone()
    assert gone is None


async def test_redis_set_get_incr(redis_url: str) -> None:
    client = aioredis.from_url(redis_url, decode_responses=True)
    key = f"test:{uuid.uuid4().hex}"
    try:
        assert await client.set(f"{key}:name", "борщ", ex=60)
        assert await client.get(f"{key}:name") == "борщ"
        assert await client.incr(f"{key}:n") == 1
        assert await client.incr(f"{key}:n") == 2
        info = await client.info("server")
        assert "redis_version" in info
    finally:
        await client.delete(f"{key}:name", f"{key}:n")
        await client.aclose()


async def test_kafka_topic_produce_consume(kafka_bootstrap: str) -> None:
    topic = f"test-services-{uuid.uuid4().hex[:8]}"
    partitions = 3
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka_bootstrap)
    await admin.start()
    try:
        await admin.create_topics(
            [NewTopic(name=topic, num_partitions=partitions, replication_factor=1)]
        )
    finally:
        await admin.close()

    records = [(b"office-1", b"order:1"), (b"office-2", b"order:2"), (b"office-3", b"order:3")]
    sent: set[tuple[bytes, bytes, int]] = set()
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap, acks="all")
    await producer.start()
    try:
        for key, value in records:
            meta = await producer.send_and_wait(topic, value=value, key=key)
            # the default partitioner: murmur2(key) mod the number of partitions
            assert meta.partition == (murmur2(key) & 0x7FFFFFFF) % partitions
            sent.add((key, value, meta.partition))
    finally:
        await producer.stop()

    received: set[tuple[bytes, bytes, int]] = set()
    consumer = AIOKafkaConsumer(bootstrap_servers=kafka_bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        consumer.assign([TopicPartition(topic, p) for p in range(partitions)])
        await consumer.seek_to_beginning()
        async with asyncio.timeout(30):
            while len(received) < len(records):
                batches = await consumer.getmany(timeout_ms=1000)
                for tp, messages in batches.items():
                    for message in messages:
                        assert message.partition == tp.partition
                        received.add((message.key, message.value, message.partition))
    finally:
        await consumer.stop()
    assert received == sent


def test_a_started_server_runs_until_stopped_even_when_its_handle_is_dropped(
    tmp_path: Path,
) -> None:
    # Given a server started by a caller that keeps only its URL (as `make run` does)
    url = start_redis(tmp_path / "redis").url
    gc.collect()

    # Then it still answers, and it is listed among the running services until stopped
    [service] = [s for s in running() if s.url == url]
    host, port = url.removeprefix("redis://").split("/")[0].split(":")
    with socket.create_connection((host, int(port)), timeout=5) as connection:
        connection.sendall(b"*1\r\n$4\r\nPING\r\n")
        assert connection.recv(64).startswith(b"+PONG")
    service.stop()
    assert service not in running()
    assert not service.is_running()
