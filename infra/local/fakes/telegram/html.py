"""Telegram's HTML parse mode: markup in, plain text and entities out, Telegram's errors."""

from __future__ import annotations

from infra.local.fakes.telegram.protocol import JSONDict

_HTML_TAGS = frozenset(
    {
        "a",
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "tg-emoji",
        "code",
        "pre",
        "blockquote",
    }
)
_SIMPLE_ENTITY = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "code": "code",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


def _u16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _decode_html_entity(text: str, start: int) -> tuple[str | None, int]:
    """Decode ``&lt;``/``&#65;``/``&#x41;`` at ``start``; ``(None, start)`` if there is none."""
    end = text.find(";", start + 1, start + 12)
    if end == -1:
        return None, start
    name = text[start + 1 : end]
    if name in _NAMED_ENTITIES:
        return _NAMED_ENTITIES[name], end + 1
    try:
        if name.startswith(("#x", "#X")):
            code = int(name[2:], 16)
        elif name.startswith("#"):
            code = int(name[1:], 10)
        else:
            return None, start
        return chr(code), end + 1
    except (ValueError, OverflowError):
        return None, start


def parse_html(text: str) -> tuple[str, list[JSONDict]]:
    """Parse Telegram-flavoured HTML into (plain text, entities) as Telegram does.

    Raises ``ValueError`` with Telegram's message (the part after "can't parse
    entities: ") when the markup is invalid. Entity offsets/lengths are in UTF-16 code
    units; byte offsets in errors are UTF-8 offsets into ``text``.
    """

    def at(index: int) -> int:
        return len(text[:index].encode())

    out: list[str] = []
    pos = 0  # UTF-16 position in the output
    entities: list[JSONDict] = []
    stack: list[tuple[str, str | None, int]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "&":
            decoded, after = _decode_html_entity(text, i)
            if decoded is not None:
                out.append(decoded)
                pos += _u16(decoded)
                i = after
                continue
        if ch != "<":
            out.append(ch)
            pos += _u16(ch)
            i += 1
            continue
        begin = i
        i += 1
        if i < n and text[i] == "/":
            if not stack:
                raise ValueError(f"Unexpected end tag at byte offset {at(begin)}")
            i += 1
            name_start = i
            while i < n and not text[i].isspace() and text[i] != ">":
                i += 1
            end_name = text[name_start:i].lower()
            while i < n and text[i].isspace():
                i += 1
            if i >= n or text[i] != ">":
                raise ValueError(f"Unclosed end tag at byte offset {at(begin)}")
            i += 1
            tag, open_argument, start = stack[-1]
            if end_name and end_name != tag:
                raise ValueError(
                    f"Unmatched end tag at byte offset {at(begin)}, "
                    f'expected "</{tag}>", found "</{end_name}>"'
                )
            stack.pop()
            if pos > start:
                _close_entity(entities, tag, open_argument, start, pos - start, "".join(out))
            continue

        name_start = i
        while i < n and not text[i].isspace() and text[i] != ">":
            i += 1
        if i >= n:
            raise ValueError(f"Unclosed start tag at byte offset {at(begin)}")
        tag = text[name_start:i].lower()
        if tag not in _HTML_TAGS:
            raise ValueError(f'Unsupported start tag "{tag}" at byte offset {at(begin)}')
        argument: str | None = None
        while True:
            while i < n and text[i].isspace():
                i += 1
            if i >= n:
                raise ValueError(f'Unclosed start tag "{tag}" at byte offset {at(begin)}')
            if text[i] == ">":
                i += 1
                break
            attr_start = i
            while i < n and not text[i].isspace() and text[i] not in "=>/\"'":
                i += 1
            attr = text[attr_start:i].lower()
            if not attr:
                raise ValueError(
                    f'Empty attribute name in the tag "{tag}" at byte offset {at(begin)}'
                )
            while i < n and text[i].isspace():
                i += 1
            if i >= n:
                raise ValueError(f'Unclosed start tag "{tag}" at byte offset {at(begin)}')
            if text[i] != "=":
                if tag == "blockquote" and attr == "expandable":
                    argument = "expandable"
                continue
            i += 1
            while i < n and text[i].isspace():
                i += 1
            if i >= n:
                raise ValueError(f'Unclosed start tag "{tag}" at byte offset {at(begin)}')
            if text[i] in "\"'":
                quote = text[i]
                i += 1
                chars: list[str] = []
                while i < n and text[i] != quote:
                    if text[i] == "&":
                        decoded, after = _decode_html_entity(text, i)
                        if decoded is not None:
                            chars.append(decoded)
                            i = after
                            continue
                    chars.append(text[i])
                    i += 1
                if i >= n:
                    raise ValueError(f"Unclosed start tag at byte offset {at(begin)}")
                i += 1
                value = "".join(chars)
            else:
                token_start = i
                while i < n and (text[i].isascii() and (text[i].isalnum() or text[i] in ".-")):
                    i += 1
                value = text[token_start:i].lower()
                if i < n and not text[i].isspace() and text[i] != ">":
                    raise ValueError(f"Unexpected end of name token at byte offset {at(i)}")
            if tag == "a" and attr == "href":
                argument = value
            elif tag == "code" and attr == "class" and value.startswith("language-"):
                argument = value.removeprefix("language-")
            elif tag == "span" and attr == "class" and value.startswith("tg-"):
                argument = value.removeprefix("tg-")
            elif tag == "tg-emoji" and attr == "emoji-id":
                argument = value
        if tag == "span" and argument != "spoiler":
            raise ValueError(f'Tag "span" must have class "tg-spoiler" at byte offset {at(begin)}')
        stack.append((tag, argument, pos))
    if stack:
        raise ValueError(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    for entity in entities:
        entity.pop("_language", None)
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def _close_entity(
    entities: list[JSONDict],
    tag: str,
    argument: str | None,
    offset: int,
    length: int,
    plain_so_far: str,
) -> None:
    if tag in _SIMPLE_ENTITY:
        entity: JSONDict = {"offset": offset, "length": length, "type": _SIMPLE_ENTITY[tag]}
        if tag == "code" and argument:
            entity["_language"] = argument
        entities.append(entity)
    elif tag == "pre":
        last = entities[-1] if entities else None
        if (
            last is not None
            and last["type"] == "code"
            and last["offset"] == offset
            and last["length"] == length
        ):
            language = last.pop("_language", None)
            last["type"] = "pre"
            if language:
                last["language"] = language
        else:
            entities.append({"offset": offset, "length": length, "type": "pre"})
    elif tag == "a":
        url = argument if argument is not None else _utf16_slice(plain_so_far, offset, length)
        if url:
            entities.append({"offset": offset, "length": length, "type": "text_link", "url": url})
    elif tag == "blockquote":
        kind = "expandable_blockquote" if argument == "expandable" else "blockquote"
        entities.append({"offset": offset, "length": length, "type": kind})
    elif tag == "tg-emoji":
        if not argument or not argument.isdigit():
            raise ValueError("Invalid custom emoji identifier specified")
        entities.append(
            {
                "offset": offset,
                "length": length,
                "type": "custom_emoji",
                "custom_emoji_id": argument,
            }
        )


def _utf16_slice(text: str, offset: int, length: int) -> str:
    raw = text.encode("utf-16-le")
    return raw[offset * 2 : (offset + length) * 2].decode("utf-16-le")


def _strip_text(text: str, entities: list[JSONDict]) -> tuple[str, list[JSONDict]]:
    """Trim surrounding whitespace as Telegram does, keeping entities aligned."""
    stripped_left = text.lstrip()
    shift = _u16(text) - _u16(stripped_left)
    stripped = stripped_left.rstrip()
    total = _u16(stripped)
    result: list[JSONDict] = []
    for entity in entities:
        start = max(0, entity["offset"] - shift)
        end = min(total, entity["offset"] + entity["length"] - shift)
        if end > start:
            result.append({**entity, "offset": start, "length": end - start})
    return stripped, result
