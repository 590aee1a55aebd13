// A fake Telegram client around the Mini App, speaking the real Mini Apps protocol:
// the app posts events through window.TelegramWebviewProxy.postEvent (as in Telegram's mobile
// and desktop clients) and receives answers through window.Telegram.WebView.receiveEvent.
// It also draws what the client would draw around the web view — the header with the back
// button and the bottom bar with the main button — so tests click them like a person would
// and screenshots look like the app inside Telegram.
(() => {
  const theme = __THEME__;
  const dark = __DARK__;
  const state = { events: [], popupAnswer: "confirm", downloadAnswer: "accept", mainButton: null };
  window.__tg = state;

  const receive = (name, payload) =>
    setTimeout(() => window.Telegram?.WebView?.receiveEvent?.(name, payload), 0);

  const ui = {};
  function chrome() {
    if (ui.header || !document.body) return;
    const header = document.createElement("div");
    header.setAttribute("data-telegram-chrome", "header");
    header.style.cssText = `position:fixed;top:0;left:0;right:0;height:56px;z-index:1000;display:flex;
      align-items:center;padding:0 8px;background:${theme.header_bg_color};color:${theme.text_color};
      font:600 17px -apple-system,Roboto,sans-serif;box-sizing:border-box;
      border-bottom:0.5px solid ${theme.section_separator_color}`;
    const back = document.createElement("button");
    back.setAttribute("aria-label", "Telegram: назад");
    back.style.cssText = `border:0;background:none;color:${theme.link_color};font:400 17px -apple-system,Roboto,sans-serif;
      padding:8px;min-width:90px;text-align:left;cursor:pointer`;
    back.onclick = () => receive(ui.backVisible ? "back_button_pressed" : "close", {});
    const title = document.createElement("div");
    title.textContent = "Обеды в офисе";
    title.style.cssText = "flex:1;text-align:center";
    const right = document.createElement("div");
    right.textContent = "⋯";
    right.style.cssText = `min-width:90px;text-align:right;padding-right:8px;color:${theme.link_color}`;
    header.append(back, title, right);
    const bar = document.createElement("div");
    bar.setAttribute("data-telegram-chrome", "bottom-bar");
    bar.style.cssText = `position:fixed;left:0;right:0;bottom:0;z-index:1000;display:none;padding:8px 12px 12px;
      background:${theme.bottom_bar_bg_color || theme.bg_color};box-sizing:border-box`;
    const main = document.createElement("button");
    main.setAttribute("data-telegram-main-button", "");
    main.style.cssText = `width:100%;height:50px;border:0;border-radius:12px;font:600 16px -apple-system,Roboto,sans-serif;cursor:pointer`;
    main.onclick = () => {
      if (state.mainButton?.is_active && !state.mainButton?.is_progress_visible) receive("main_button_pressed", {});
    };
    bar.append(main);
    document.body.append(header, bar);
    document.documentElement.style.setProperty("padding-top", "56px");
    Object.assign(ui, { header, back, bar, main });
    renderBack(false);
  }

  function renderBack(visible) {
    ui.backVisible = visible;
    if (ui.back) ui.back.textContent = visible ? "‹ Назад" : "Закрыть";
  }

  function renderMain(params) {
    state.mainButton = params;
    if (!ui.bar) return;
    const visible = Boolean(params.is_visible && params.text);
    ui.bar.style.display = visible ? "block" : "none";
    if (document.body) document.body.style.paddingBottom = visible ? "72px" : "0";
    ui.main.textContent = params.is_progress_visible ? "…" : params.text || "";
    ui.main.disabled = !params.is_active;
    ui.main.style.background = params.color || theme.button_color;
    ui.main.style.color = params.text_color || theme.button_text_color;
    ui.main.style.opacity = params.is_active ? "1" : "0.5";
  }

  window.TelegramWebviewProxy = {
    postEvent(name, data) {
      const payload = data ? JSON.parse(data) : null;
      state.events.push({ name, payload });
      chrome();
      switch (name) {
        case "web_app_request_viewport":
          receive("viewport_changed", {
            height: window.innerHeight - 56,
            width: window.innerWidth,
            is_expanded: true,
            is_state_stable: true,
          });
          break;
        case "web_app_request_theme":
          receive("theme_changed", { theme_params: theme });
          break;
        case "web_app_request_safe_area":
          receive("safe_area_changed", { top: 0, bottom: 0, left: 0, right: 0 });
          break;
        case "web_app_request_content_safe_area":
          receive("content_safe_area_changed", { top: 0, bottom: 0, left: 0, right: 0 });
          break;
        case "web_app_setup_back_button":
          renderBack(Boolean(payload?.is_visible));
          break;
        case "web_app_setup_main_button":
          renderMain(payload || {});
          break;
        case "web_app_open_tg_link":
          state.links = [...(state.links || []), `https://t.me${payload?.path_full || ""}`];
          break;
        case "web_app_request_file_download": {
          // Telegram asks the person, then fetches the URL itself: no cookies, no Authorization.
          state.downloads = [...(state.downloads || []), payload];
          if (state.downloadAnswer === "cancel") {
            receive("file_download_requested", { status: "cancelled" });
            break;
          }
          const link = Object.assign(document.createElement("a"), { href: payload.url, download: payload.file_name });
          link.click();
          receive("file_download_requested", { status: "downloading" });
          break;
        }
        case "web_app_open_popup": {
          const buttons = payload?.buttons || [];
          const pressed = state.popupAnswer === "cancel" ? buttons.find((b) => b.type === "cancel") : buttons.find((b) => b.type !== "cancel");
          receive("popup_closed", { button_id: pressed?.id });
          break;
        }
      }
    },
  };
  document.addEventListener("DOMContentLoaded", () => {
    document.documentElement.dataset.fakeTelegram = dark ? "dark" : "light";
    chrome();
  });
})();
