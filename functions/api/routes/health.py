from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import text

from functions.api.deps import SessionDep

router = APIRouter(prefix="/health", tags=["health"])


class HealthOut(BaseModel):
    status: Literal["ok"] = "ok"


class DependencyHealthOut(BaseModel):
    status: Literal["ok"] = "ok"
    name: str


@router.get("")
async def health() -> HealthOut:
    """Liveness: the function answers."""
    return HealthOut()


@router.get("/db")
async def health_db(session: SessionDep) -> DependencyHealthOut:
    """PostgreSQL answers a query."""
    await session.execute(text("select 1"))
    return DependencyHealthOut(name="postgresql")
