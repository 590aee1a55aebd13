"""The Gemini client (google-genai), one per API key, configured from settings."""

import ssl
from functools import cache

import certifi
from google import genai
from google.genai import types

from shared.kit.settings import Settings


@cache
def _tls_context() -> ssl.SSLContext:
    # Loading the CA bundle takes ~0.2 s and the SDK does it twice per client unless given a
    # context: with a pool of keys that is seconds of cold start. One context serves them all.
    return ssl.create_default_context(cafile=certifi.where())


def create_gemini_client(settings: Settings, api_key: str) -> genai.Client:
    """A client for one key, talking to `GEMINI_API_BASE_URL` (Google itself unless overridden).

    The SDK's own retries are switched off (one attempt): the key pool decides what a 429, a
    401 or a 5xx means, and retrying inside the SDK would spend a key's quota behind its back.
    """
    tls = _tls_context()
    return genai.Client(
        api_key=api_key,
        http_options=types.HttpOptions(
            base_url=settings.gemini_api_base_url,
            timeout=int(settings.gemini_timeout_seconds * 1000),
            retry_options=types.HttpRetryOptions(attempts=1),
            client_args={"verify": tls},
            async_client_args={"verify": tls, "ssl": tls},
        ),
    )
