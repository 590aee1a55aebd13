from fastapi import APIRouter

router = APIRouter(prefix="/user-requests", tags=["user-requests"])
