from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from functions.api.deps import NowDep, SessionDep, SettingsDep
from functions.api.errors import domain_error_response, error_responses
from functions.api.messages import language_of
from functions.api.routing import Routes
from shared.auth.init_data import verify_init_data
from shared.auth.service import AccessRequested, sign_in
from shared.users.schemas import UserOut

router = Routes(prefix="/auth", tags=["auth"])


class TelegramAuthIn(BaseModel):
    init_data: str = Field(
        min_length=1,
        max_length=4096,
        description="`Telegram.WebApp.initData` exactly as the Mini App received it",
    )
    office: str | None = Field(
        default=None,
        max_length=200,
        description="The office a newcomer gives when asking for access: kept on the access "
        "request and given to the user on approval; ignored for existing employees, whose "
        "office managers keep",
    )


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"
    user: UserOut


@router.post(
    "/telegram",
    response_model=TokenOut,
    # 400: a body that is not JSON at all.
    responses=error_responses(400, 401, 403, 422, 429, 503),
)
async def telegram_sign_in(
    body: TelegramAuthIn,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
) -> TokenOut | JSONResponse:
    """Sign in with the Mini App's initData; strangers get an access request and a 403."""
    init_data = verify_init_data(
        body.init_data,
        settings.telegram_bot_token.get_secret_value(),
        now=now,
        max_age_seconds=settings.init_data_max_age_seconds,
    )
    signed_in = await sign_in(session, init_data, settings, now=now, office=body.office)
    if isinstance(signed_in, AccessRequested):
        # Answered, not raised: the access request is committed with this 403.
        language = language_of(request.headers.get("accept-language"))
        return domain_error_response(signed_in.refusal, language)
    return TokenOut(
        access_token=signed_in.access_token, user=UserOut.model_validate(signed_in.user)
    )
