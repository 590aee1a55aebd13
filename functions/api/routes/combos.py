from typing import Annotated

from fastapi import Query, Response, status

from functions.api.deps import (
    Manager,
    ReadingUser,
    ReadSessionDep,
    SessionDep,
)
from functions.api.errors import error_responses
from functions.api.routing import Routes
from shared.cafes import service
from shared.cafes.schemas import ComboCreate, ComboList, ComboOut, ComboUpdate

router = Routes(prefix="/cafes", tags=["combos"])


@router.get("/{cafe_id}/combos", responses=error_responses(401, 403, 404, 422))
async def list_combos(
    cafe_id: int,
    user: ReadingUser,
    session: ReadSessionDep,
    include_unavailable: Annotated[
        bool | None,
        Query(
            description="Managers see unavailable combos unless they pass false; "
            "employees never see them"
        ),
    ] = None,
) -> ComboList:
    """A cafe's combos, cheapest first."""
    combos = await service.list_combos(
        session, cafe_id, user, include_unavailable=include_unavailable
    )
    return ComboList(items=[ComboOut.model_validate(combo) for combo in combos])


@router.post(
    "/{cafe_id}/combos",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(401, 403, 404, 409, 422),
)
async def create_combo(
    cafe_id: int, body: ComboCreate, _: Manager, session: SessionDep
) -> ComboOut:
    """Add a combo: one dish from each listed category for one price."""
    return ComboOut.model_validate(await service.create_combo(session, cafe_id, body))


@router.patch("/{cafe_id}/combos/{combo_id}", responses=error_responses(401, 403, 404, 409, 422))
async def update_combo(
    cafe_id: int, combo_id: int, body: ComboUpdate, _: Manager, session: SessionDep
) -> ComboOut:
    """Change a combo (only the fields sent); placed orders keep their copied name and price."""
    combo = await service.update_combo(session, cafe_id, combo_id, body)
    return ComboOut.model_validate(combo)


@router.delete(
    "/{cafe_id}/combos/{combo_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(401, 403, 404),
)
async def delete_combo(cafe_id: int, combo_id: int, _: Manager, session: SessionDep) -> Response:
    """Delete a combo; placed orders keep their copied name and price."""
    await service.delete_combo(session, cafe_id, combo_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
