from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    tgid: int
    name: str
    office: str
    role: Literal["user", "manager"]
    is_active: bool
    created_at: datetime
