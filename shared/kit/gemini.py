"""The Gemini client (google-genai), one per API key, configured from settings."""

from google import genai
from google.genai import types

from shared.kit.settings import Settings


def create_gemini_client(settings: Settings, api_key: str) -> genai.Client:
    """A client for one key, talking to `GEMINI_API_BASE_URL` (Google itself unless overridden).

    The SDK's own retries are switched off (one attempt): the key pool decides what a 429, a
    401 or a 5xx means, and retrying inside the SDK would spend a key's quota behind its back.
    """
    return genai.Client(
        api_key=api_key,
        http_options=types.HttpOptions(
            base_url=settings.gemini_api_base_url,
            timeout=int(settings.gemini_timeout_seconds * 1000),
            retry_options=types.HttpRetryOptions(attempts=1),
        ),
    )
