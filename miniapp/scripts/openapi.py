"""Write the API's OpenAPI document to miniapp/src/api/openapi.json (the typed client's source).

`python miniapp/scripts/openapi.py` writes it; `--check` exits 1 when the committed file is stale.
"""

import argparse
import asyncio
import json
import sys
from pathlib import Path

from functions.api.app import create_app
from functions.api.deps import AppContext
from shared.kit.clock import SystemClock
from shared.kit.db import create_engine, create_sessionmaker
from shared.kit.settings import Settings

TARGET = Path(__file__).resolve().parent.parent / "src" / "api" / "openapi.json"


def openapi_json() -> str:
    # No .env and no dev sign-in: the document describes what every deployed stack serves.
    settings = Settings(_env_file=None, environment="test", dev_login_enabled=False)
    engine = create_engine(settings)
    try:
        app = create_app(AppContext(settings, create_sessionmaker(engine), SystemClock()))
        return json.dumps(app.openapi(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    finally:
        asyncio.run(engine.dispose())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if the file is out of date")
    args = parser.parse_args()
    document = openapi_json()
    if args.check:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != document:
            sys.stderr.write(
                "miniapp/src/api/openapi.json is out of date: run `make miniapp-openapi`\n"
            )
            return 1
        return 0
    TARGET.write_text(document, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
