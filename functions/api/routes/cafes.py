from typing import Annotated

from fastapi import Header, Query, Response, status

from functions.api.deps import (
    Manager,
    ReadingManager,
    ReadingUser,
    ReadSessionDep,
    SessionDep,
    SettingsDep,
)
from functions.api.errors import error_responses
from functions.api.messages import language_of
from functions.api.routing import Routes
from shared.cafes import service
from shared.cafes.schemas import (
    BotLinkOut,
    CafeCreate,
    CafeList,
    CafeOut,
    CafeStatusIn,
    CafeUpdate,
)
from shared.links.service import cafe_deep_link, share_url

router = Routes(prefix="/cafes", tags=["cafes"])


@router.get("", responses=error_responses(401, 403, 422), response_model_exclude_unset=True)
async def list_cafes(
    user: ReadingUser,
    session: ReadSessionDep,
    active_only: Annotated[
        bool, Query(description="Managers may pass false to see inactive cafes too")
    ] = True,
) -> CafeList:
    """List cafes by name; employees always get only the active ones, without chat links."""
    found = await service.list_cafes(session, user, active_only=active_only)
    return CafeList(items=[CafeOut.seen_by(cafe, manager=user.is_manager) for cafe in found])


@router.post("", status_code=status.HTTP_201_CREATED, responses=error_responses(401, 403, 409, 422))
async def create_cafe(body: CafeCreate, _: Manager, session: SessionDep) -> CafeOut:
    """Add a cafe (active, no menu or schedule yet); names are unique, ignoring case."""
    return CafeOut.model_validate(await service.create_cafe(session, body))


@router.get(
    "/{cafe_id}", responses=error_responses(401, 403, 404), response_model_exclude_unset=True
)
async def get_cafe(cafe_id: int, user: ReadingUser, session: ReadSessionDep) -> CafeOut:
    """One cafe; an inactive cafe is visible only to managers, chat links too."""
    cafe = await service.visible_cafe(session, cafe_id, user)
    return CafeOut.seen_by(cafe, manager=user.is_manager)


@router.patch("/{cafe_id}", responses=error_responses(401, 403, 404, 409, 422))
async def update_cafe(cafe_id: int, body: CafeUpdate, _: Manager, session: SessionDep) -> CafeOut:
    """Change a cafe's name, description or address (only the fields sent)."""
    return CafeOut.model_validate(await service.update_cafe(session, cafe_id, body))


@router.delete(
    "/{cafe_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(401, 403, 404, 409),
)
async def delete_cafe(cafe_id: int, _: Manager, session: SessionDep) -> Response:
    """Delete a cafe with its menu and schedule; a cafe with orders is refused (deactivate it)."""
    await service.delete_cafe(session, cafe_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.patch("/{cafe_id}/status", responses=error_responses(401, 403, 404, 422))
async def set_cafe_status(
    cafe_id: int, body: CafeStatusIn, _: Manager, session: SessionDep
) -> CafeOut:
    """Activate or deactivate a cafe; employees neither see nor order from inactive cafes."""
    cafe = await service.set_cafe_status(session, cafe_id, is_active=body.is_active)
    return CafeOut.model_validate(cafe)


@router.get("/{cafe_id}/bot-link", responses=error_responses(401, 403, 404))
async def bot_link(
    cafe_id: int,
    _: ReadingManager,
    session: ReadSessionDep,
    settings: SettingsDep,
    accept_language: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> BotLinkOut:
    """The cafe's link to the bot: opened in the cafe's chat, it asks to link that chat."""
    cafe = await service.existing_cafe(session, cafe_id)
    url = cafe_deep_link(settings.telegram_bot_username, cafe.id)
    text = (
        f"Orders for «{cafe.name}» will come to your chat: open the link and press Start"
        if language_of(accept_language) == "en"
        else f"Заказы для «{cafe.name}» будут приходить в чат: откройте ссылку и нажмите «Старт»"
    )
    return BotLinkOut(url=url, share_url=share_url(url, text), text=text)
