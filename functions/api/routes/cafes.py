from fastapi import APIRouter

router = APIRouter(prefix="/cafes", tags=["cafes"])
