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
from shared.cafes.labels import DietaryLabel
from shared.cafes.schemas import (
    CATEGORY_PATTERN,
    MenuItemCreate,
    MenuItemList,
    MenuItemOut,
    MenuItemUpdate,
    OptionCreate,
    OptionList,
    OptionOut,
    OptionUpdate,
)

router = Routes(prefix="/cafes", tags=["menu"])


@router.get("/{cafe_id}/menu", responses=error_responses(401, 403, 404, 422))
async def list_menu(
    cafe_id: int,
    user: ReadingUser,
    session: ReadSessionDep,
    category: Annotated[
        str | None, Query(pattern=CATEGORY_PATTERN, description="Only this category")
    ] = None,
    include_unavailable: Annotated[
        bool | None,
        Query(
            description="Managers see unavailable dishes unless they pass false; "
            "employees never see them"
        ),
    ] = None,
    label: Annotated[
        list[DietaryLabel] | None,
        Query(description="Only dishes with every label given (repeat: ?label=vegan&label=spicy)"),
    ] = None,
    exclude_label: Annotated[
        list[DietaryLabel] | None,
        Query(description="Only dishes with none of these labels (e.g. ?exclude_label=nuts)"),
    ] = None,
) -> MenuItemList:
    """A cafe's dishes with their options, by category and name, filtered by labels."""
    items = await service.list_menu(
        session,
        cafe_id,
        user,
        category=category,
        include_unavailable=include_unavailable,
        labels=label or (),
        exclude_labels=exclude_label or (),
    )
    return MenuItemList(items=[MenuItemOut.model_validate(item) for item in items])


@router.post(
    "/{cafe_id}/menu",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(400, 401, 403, 404, 422),
)
async def create_menu_item(
    cafe_id: int, body: MenuItemCreate, _: Manager, session: SessionDep
) -> MenuItemOut:
    """Add a dish; without a price it is sold only inside a combo (extras need a price)."""
    return MenuItemOut.model_validate(await service.create_menu_item(session, cafe_id, body))


@router.get("/{cafe_id}/menu/{item_id}", responses=error_responses(401, 403, 404))
async def get_menu_item(
    cafe_id: int, item_id: int, user: ReadingUser, session: ReadSessionDep
) -> MenuItemOut:
    """One dish with its options; an unavailable dish is visible only to managers."""
    item = await service.visible_menu_item(session, cafe_id, item_id, user)
    return MenuItemOut.model_validate(item)


@router.patch("/{cafe_id}/menu/{item_id}", responses=error_responses(400, 401, 403, 404, 422))
async def update_menu_item(
    cafe_id: int, item_id: int, body: MenuItemUpdate, _: Manager, session: SessionDep
) -> MenuItemOut:
    """Change a dish (only the fields sent); placed orders keep their copied name and price."""
    item = await service.update_menu_item(session, cafe_id, item_id, body)
    return MenuItemOut.model_validate(item)


@router.delete(
    "/{cafe_id}/menu/{item_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(401, 403, 404),
)
async def delete_menu_item(cafe_id: int, item_id: int, _: Manager, session: SessionDep) -> Response:
    """Delete a dish and its options; placed orders keep their copied name and price."""
    await service.delete_menu_item(session, cafe_id, item_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/{cafe_id}/menu/{item_id}/options", responses=error_responses(401, 403, 404))
async def list_options(
    cafe_id: int, item_id: int, user: ReadingUser, session: ReadSessionDep
) -> OptionList:
    """A dish's options (size, spiciness, …) with their allowed values and extra prices."""
    options = await service.list_options(session, cafe_id, item_id, user)
    return OptionList(items=[OptionOut.model_validate(option) for option in options])


@router.post(
    "/{cafe_id}/menu/{item_id}/options",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(401, 403, 404, 409, 422),
)
async def create_option(
    cafe_id: int, item_id: int, body: OptionCreate, _: Manager, session: SessionDep
) -> OptionOut:
    """Add an option to a dish; its name is unique for the dish, its values distinct, its
    price (added per portion when chosen) 0 unless given."""
    option = await service.create_option(session, cafe_id, item_id, body)
    return OptionOut.model_validate(option)


@router.patch(
    "/{cafe_id}/menu/{item_id}/options/{option_id}",
    responses=error_responses(401, 403, 404, 409, 422),
)
async def update_option(
    cafe_id: int,
    item_id: int,
    option_id: int,
    body: OptionUpdate,
    _: Manager,
    session: SessionDep,
) -> OptionOut:
    """Change an option's name, values, price or whether it is required (fields sent only)."""
    option = await service.update_option(session, cafe_id, item_id, option_id, body)
    return OptionOut.model_validate(option)


@router.delete(
    "/{cafe_id}/menu/{item_id}/options/{option_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(401, 403, 404),
)
async def delete_option(
    cafe_id: int, item_id: int, option_id: int, _: Manager, session: SessionDep
) -> Response:
    """Remove an option from a dish; placed orders keep the choices they were made with."""
    await service.delete_option(session, cafe_id, item_id, option_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
