"""The one fake Telegram Bot API, for the tests and for `make run`: a real local HTTP server
speaking the Bot API protocol.

It runs a ``ThreadingHTTPServer`` in a background thread, so it serves sync tests, async
tests and code that runs its own event loop alike. Point python-telegram-bot at it with
``Bot(fake.token, base_url=fake.base_url)`` (PTB appends the token to ``base_url``).

What it does, as ``api.telegram.org`` does:

* ``POST`` or ``GET`` ``/bot<token>/<method>`` with form-encoded, multipart (PTB's
  uploads) or JSON bodies; method names are case-insensitive;
* answers ``{"ok": true, "result": ...}`` with full objects: ``sendMessage`` returns a
  ``Message`` with a ``message_id`` counting up per chat, ``date``, ``chat``, ``from``, the
  text *as Telegram renders it* (HTML parsed into plain text + ``entities``) and the
  inline keyboard echoed back;
* a wrong but well-formed token gets ``401 Unauthorized``, a malformed one and unknown
  methods ``404 Not Found``;
* validates what Telegram validates and answers with Telegram's own error texts: HTML
  markup (``can't parse entities: ...``), empty or too long texts, inline keyboards
  (``BUTTON_DATA_INVALID``, URL buttons to ``localhost``, ``web_app`` buttons outside
  private chats, ``http://`` Web App URLs), "message is not modified", answering a
  callback query twice, ``getUpdates`` while a webhook is set, non-HTTPS webhooks;
* scripted failures (:meth:`FakeTelegram.fail_next`), slow answers
  (:meth:`FakeTelegram.delay_next`) and optional flood control
  (:meth:`FakeTelegram.enforce_rate_limits`);
* records every request (:meth:`FakeTelegram.requests`,
  :meth:`FakeTelegram.sent_messages`);
* plays Telegram facing people (``people``): what they type and press becomes the update
  Telegram would make (:meth:`FakeTelegram.user_sends`, :meth:`FakeTelegram.user_presses`,
  :meth:`FakeTelegram.bot_membership`), delivered to the ``setWebhook`` URL with its secret
  token (:meth:`FakeTelegram.deliver`); :meth:`FakeTelegram.chat_history` is a chat as its
  members see it. The dev page's Telegram chats are built on it.

Not emulated: MarkdownV2/Markdown parsing (such texts are echoed unparsed, without
entities), automatic detection of URLs/mentions/commands in plain text, files download,
and methods not listed in ``FakeTelegram.SUPPORTED_METHODS`` (they get ``404 Not Found``
as unknown methods do; add your own with :meth:`FakeTelegram.set_method_handler`).

Split by concern: ``protocol`` (error texts, field types), ``html`` (the HTML parse mode),
``transport`` (HTTP, form/multipart/JSON bodies), ``ratelimit`` (flood control), ``records``
(what was sent), ``updates`` (update builders), ``state`` + ``methods`` (the Bot API methods),
``people`` (the people's side) and ``server`` (``FakeTelegram`` itself).
"""

from infra.local.fakes.telegram.protocol import (
    BOT_BLOCKED,
    BOT_KICKED_GROUP,
    BOT_KICKED_SUPERGROUP,
    CHAT_NOT_FOUND,
    DEFAULT_TOKEN,
    MESSAGE_NOT_MODIFIED,
    QUERY_TOO_OLD,
    MethodHandler,
    can_t_parse_entities,
    too_many_requests,
)
from infra.local.fakes.telegram.records import (
    RecordedRequest,
    ScriptedFailure,
    SentMessage,
    UploadedFile,
)
from infra.local.fakes.telegram.server import FakeTelegram
from infra.local.fakes.telegram.updates import callback_query_update, make_user, message_update

__all__ = [
    "BOT_BLOCKED",
    "BOT_KICKED_GROUP",
    "BOT_KICKED_SUPERGROUP",
    "CHAT_NOT_FOUND",
    "DEFAULT_TOKEN",
    "MESSAGE_NOT_MODIFIED",
    "QUERY_TOO_OLD",
    "FakeTelegram",
    "MethodHandler",
    "RecordedRequest",
    "ScriptedFailure",
    "SentMessage",
    "UploadedFile",
    "callback_query_update",
    "can_t_parse_entities",
    "make_user",
    "message_update",
    "too_many_requests",
]
