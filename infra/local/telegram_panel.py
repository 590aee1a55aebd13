"""The dev page's look (shared by its tabs) and the Telegram tab: pick a chat, read it as
Telegram shows it, type, press the bot's buttons. The data comes from telegram_chats' routes."""

STYLE = """
body{font:15px/1.45 system-ui,sans-serif;max-width:860px;margin:24px auto;padding:0 16px;
color:#1c1c1e;background:#f5f5f7}h1{font-size:22px}h2{font-size:17px;margin-top:28px}
.card{background:#fff;border-radius:12px;padding:12px 16px;margin:10px 0;
box-shadow:0 1px 2px #0001}.meta{color:#6e6e73;font-size:13px}form{display:inline}
button{font:inherit;border:0;border-radius:8px;padding:6px 12px;background:#2481cc;
color:#fff;cursor:pointer;margin:2px}button.secondary{background:#8e8e93}
.message{white-space:normal}.empty{color:#6e6e73}
nav{display:flex;gap:6px;flex-wrap:wrap}nav a{padding:6px 12px;border-radius:8px;
background:#fff;color:#2481cc;text-decoration:none;box-shadow:0 1px 2px #0001}
nav a[aria-current=page]{background:#2481cc;color:#fff}
"""

NAV_LINKS = (("/dev/cafe-messages", "What the cafes receive"), ("/dev/telegram", "Telegram chats"))


def nav(current: str) -> str:
    """The dev page's tabs, `current` marked."""
    links = "".join(
        f'<a href="{href}"{" aria-current=page" if href == current else ""}>{label}</a>'
        for href, label in NAV_LINKS
    )
    return f'<nav aria-label="Dev page">{links}</nav>'


_CHAT_STYLE = """
.who{display:flex;gap:6px;align-items:center;flex-wrap:wrap}.who select{flex:1 1 220px}
select,input[type=text]{font:inherit;padding:8px 10px;border:1px solid #d1d1d6;
border-radius:8px;background:#fff;color:inherit;min-width:0}
.chat{background:#d9e4cc;border-radius:12px;overflow:hidden;margin-top:10px;
box-shadow:0 1px 2px #0001}.head{background:#fff;padding:8px 12px;line-height:1.3}
.head{display:flex;gap:8px;align-items:center;justify-content:space-between}
.head b{display:block}.head button{flex:none;margin:0;padding:4px 10px;font-size:13px}
.log{height:56vh;min-height:260px;overflow-y:auto;padding:10px 8px;
display:flex;flex-direction:column;gap:6px}
.bubble{padding:6px 10px;border-radius:12px;background:#fff;box-shadow:0 1px 1px #0002;
overflow-wrap:anywhere}.me{align-self:flex-end;max-width:85%;background:#e1f7cb}
.bot{align-self:flex-start;max-width:88%}.sender{font-size:13px;font-weight:600;color:#2481cc}
.edited{color:#8e8e93;font-size:12px;margin-left:6px}
.quote{border-left:3px solid #2481cc;background:#2481cc14;border-radius:4px;padding:2px 8px;
margin-bottom:4px;font-size:13px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.quote b{display:block;color:#2481cc}
.keyboard{display:flex;flex-direction:column;gap:4px;margin-top:4px}
.keyboard div{display:flex;gap:4px}.keyboard button,.keyboard a{flex:1;margin:0;padding:7px 8px;
border-radius:8px;background:#ffffffc7;color:#2481cc;font-size:14px;text-align:center;
text-decoration:none}.keyboard button:disabled{opacity:.5}
.service{align-self:center;max-width:90%;background:#00000030;color:#fff;border-radius:12px;
padding:2px 10px;font-size:13px;text-align:center}.toast{align-self:center;max-width:90%;
background:#1c1c1ee6;color:#fff;border-radius:10px;padding:6px 12px;font-size:14px}
.command{color:#2481cc;text-decoration:none}.note{display:block;font-size:12px;color:#b3261e}.hint{color:#3a3a3c;font-size:14px;
background:#ffffffb3;border-radius:10px;padding:8px 10px}
.chips{display:flex;gap:4px;overflow-x:auto;padding:6px 8px;background:#fff;
border-top:1px solid #0001}.chips button{margin:0;padding:4px 10px;background:#eef3f8;
color:#2481cc;white-space:nowrap}.composer{display:flex;gap:6px;padding:0 8px 8px;
background:#fff}.composer input{flex:1}.composer button{margin:0}
.error{color:#b3261e;font-size:14px;min-height:1em;margin:6px 0}
pre{white-space:pre-wrap;overflow-wrap:anywhere;font-size:12px;background:#fff;
border-radius:8px;padding:8px}
"""

_COMMANDS = ("/start", "/help", "/link", "/status", "/orders", "/unlink")

_SCRIPT = r"""
const $ = (selector) => document.querySelector(selector);
const log = $("#log"), seats = $("#seat"), error = $("#error");
let current = Number(new URLSearchParams(location.search).get("chat")) || null;
let shown = "", busy = false;

async function call(method, url, body) {
  const response = await fetch(url, {
    method, body: body && JSON.stringify(body),
    headers: {"Content-Type": "application/json", Accept: "application/json"},
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    const detail = Array.isArray(data.detail)
      ? data.detail.map((problem) => problem.msg).join("; ") : data.detail;
    throw new Error(detail || response.statusText);
  }
  return data;
}

let listed = "";
async function loadSeats() {
  // Linking changes what a chat is: read the list again after every action.
  const list = await call("GET", "/dev/telegram/chats");
  if (JSON.stringify(list) === listed) return;
  listed = JSON.stringify(list);
  seats.replaceChildren();
  const groups = {};
  for (const seat of list) {
    if (!groups[seat.group]) {
      groups[seat.group] = document.createElement("optgroup");
      groups[seat.group].label = seat.group;
      seats.append(groups[seat.group]);
    }
    groups[seat.group].append(new Option(`${seat.label} — ${seat.note}`, seat.id));
  }
  if (!list.some((seat) => seat.id === current)) current = list.length ? list[0].id : null;
  seats.value = String(current);
}

function node(tag, className, text) {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
}

function keyboard(event) {
  const box = node("div", "keyboard");
  for (const row of event.keyboard) {
    const line = node("div");
    for (const button of row) {
      if (button.data !== undefined) {
        const press = node("button", "", button.text);
        press.type = "button";
        press.onclick = () => act(`/dev/telegram/chats/${current}/presses`,
          {message_id: event.message_id, data: button.data});
        line.append(press);
      } else {
        const link = node("a", "", button.text);
        link.href = button.url || "#";
        link.target = "_blank";
        line.append(link);
      }
    }
    box.append(line);
  }
  return box;
}

function tappableCommands(bubble) {
  // Telegram's apps make a /command in a bot's message a link that sends it.
  const walker = document.createTreeWalker(bubble, NodeFilter.SHOW_TEXT);
  const texts = [];
  while (walker.nextNode()) texts.push(walker.currentNode);
  for (const text of texts) {
    const parts = text.data.split(/(?<![\w/])(\/[a-z_]{2,32})(?![\w/])/);
    if (parts.length === 1) continue;
    text.replaceWith(...parts.map((part, index) => {
      if (index % 2 === 0) return part;
      const command = node("a", "command", part);
      command.href = "#";
      command.onclick = (clicked) => {
        clicked.preventDefault();
        act(`/dev/telegram/chats/${current}/messages`, {text: part});
      };
      return command;
    }));
  }
}

function eventNode(event) {
  let element;
  if (event.kind === "bot") {
    element = node("div", "bot");
    const bubble = node("div", "bubble");
    bubble.dataset.messageId = event.message_id;
    bubble.innerHTML = event.html;  // escaped by the server but Telegram's formatting tags
    tappableCommands(bubble);
    if (event.quote) {
      const quote = node("div", "quote");
      quote.append(node("b", "", event.quote.from), node("span", "", event.quote.text));
      bubble.prepend(quote);
    }
    if (event.edited) bubble.append(node("span", "edited", "edited"));
    element.append(bubble);
    if (event.keyboard.length) element.append(keyboard(event));
  } else if (event.kind === "user") {
    element = node("div", "bubble me");
    element.innerHTML = event.html;
  } else if (event.kind === "toast") {
    element = node("div", "toast", (event.alert ? "⚠️ " : "🔔 ") + event.text);
    element.setAttribute("role", "status");
  } else if (event.kind === "press") {
    element = node("div", "service", `pressed «${event.text}»`);
  } else {
    element = node("div", "service", event.text);
  }
  if (event.note) element.append(node("span", "note", event.note));
  return element;
}

function render(data) {
  $("#title").textContent = data.chat.label;
  $("#subtitle").textContent = data.chat.note;
  const membership = $("#membership");
  membership.hidden = !data.chat.is_group;
  membership.textContent = data.chat.bot_removed ? "Add the bot back" : "Remove the bot";
  membership.dataset.member = data.chat.bot_removed ? "true" : "false";
  const key = JSON.stringify(data.events);
  if (key === shown) return;
  shown = key;
  log.replaceChildren(...data.events.map(eventNode));
  if (!data.events.length) log.append($("#empty").content.cloneNode(true));
  log.scrollTop = log.scrollHeight;
}

async function refresh() {
  if (current === null || busy) return;
  try {
    render(await call("GET", `/dev/telegram/chats/${current}`));
  } catch (problem) {
    error.textContent = problem.message;
  }
}

async function act(url, body) {
  busy = true;
  error.textContent = "";
  try {
    const data = await call("POST", url, {...body, english: $("#english").checked});
    $("#update").textContent = JSON.stringify(data.update, null, 2);
    if (data.events) render(data);
    await loadSeats();
    return data;
  } catch (problem) {
    error.textContent = problem.message;
  } finally {
    busy = false;
  }
}

function choose(id) {
  current = id;
  seats.value = String(id);
  shown = "";
  history.replaceState(null, "", `?chat=${id}`);
  refresh();
}

$("#composer").onsubmit = async (submitted) => {
  submitted.preventDefault();
  const text = $("#text").value;
  if (await act(`/dev/telegram/chats/${current}/messages`, {text})) $("#text").value = "";
};
for (const chip of document.querySelectorAll(".chips button")) {
  chip.onclick = () => act(`/dev/telegram/chats/${current}/messages`, {text: chip.textContent});
}
$("#membership").onclick = () => act(`/dev/telegram/chats/${current}/membership`,
  {member: $("#membership").dataset.member === "true"});
seats.onchange = () => choose(Number(seats.value));
seats.onfocus = () => loadSeats().catch(() => {});
$("#new-chat").onclick = async () => {
  const data = await act("/dev/telegram/chats", {});
  if (!data) return;
  current = data.chat.id;
  await loadSeats();
  choose(current);
};
loadSeats().then(() => choose(current));
setInterval(refresh, 1500);
"""


def panel_page(*, available: bool) -> str:
    """The Telegram tab; `available` is False when a real bot token sends to Telegram itself."""
    chips = "".join(f'<button type="button">{command}</button>' for command in _COMMANDS)
    if not available:
        body = (
            '<p class="empty">A real bot token is set: the bot talks to Telegram itself. '
            "Write to it there.</p>"
        )
    else:
        body = f"""<div class="who"><label for="seat">You are</label>
<select id="seat" aria-label="Chat"></select>
<button id="new-chat" type="button" class="secondary">+ New cafe chat</button></div>
<div class="chat"><div class="head"><div><b id="title"></b>
<span class="meta" id="subtitle"></span></div>
<button id="membership" type="button" class="secondary" hidden></button></div>
<div class="log" id="log" role="log" aria-live="polite"></div>
<div class="chips" aria-label="Commands">{chips}</div>
<form id="composer" class="composer"><input id="text" type="text" autocomplete="off"
aria-label="Message" placeholder="Message, /command or a t.me link"><button>Send</button></form>
</div>
<p class="error" id="error" role="alert"></p>
<label class="meta"><input type="checkbox" id="english"> My Telegram speaks English</label>
<details><summary class="meta">The last update sent to the webhook</summary>
<pre id="update">Nothing sent yet.</pre></details>
<template id="empty"><p class="hint">Nothing here yet. Send /start. A new cafe chat links with
the cafe's link from the Mini App (Управление → кафе → «Отправить ссылку кафе»): paste it
here, or send /link and pick the cafe.</p></template>
<script>{_SCRIPT}</script>"""
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Lunch · Telegram chats (local)</title><style>{STYLE}{_CHAT_STYLE}</style></head><body>
{nav("/dev/telegram")}
<h1>Telegram chats</h1>
<p class="meta">Be a cafe's chat, the manager or an employee. What you type and press becomes
the update Telegram would send, delivered to the bot's webhook (<code>POST /telegram/webhook</code>
with the secret token, through the local API Gateway); the replies are what the local Telegram
received from the bot.</p>
{body}
</body></html>"""
