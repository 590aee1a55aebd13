// Development only: imported in `vite dev` and in the local runner's build (mode "runner"),
// never in production builds.
// Outside Telegram, fake the launch parameters as Telegram would pass them, with initData that
// the local API signs for a seeded user: ?as=manager signs in as the demo manager.

import { emitEvent, isTMA, mockTelegramEnv } from "@tma.js/sdk-react";

const DEMO_EMPLOYEE = 100002;
const DEMO_MANAGER = 100001;

const LIGHT: Record<string, `#${string}`> = {
  bg_color: "#ffffff",
  secondary_bg_color: "#efeff4",
  section_bg_color: "#ffffff",
  text_color: "#000000",
  hint_color: "#8e8e93",
  subtitle_text_color: "#8e8e93",
  link_color: "#2481cc",
  accent_text_color: "#2481cc",
  button_color: "#2481cc",
  button_text_color: "#ffffff",
  header_bg_color: "#efeff4",
  section_header_text_color: "#6d6d72",
  section_separator_color: "#c8c7cc",
  destructive_text_color: "#ff3b30",
  bottom_bar_bg_color: "#ffffff",
};

const DARK: Record<string, `#${string}`> = {
  bg_color: "#212121",
  secondary_bg_color: "#0f0f0f",
  section_bg_color: "#212121",
  text_color: "#ffffff",
  hint_color: "#aaaaaa",
  subtitle_text_color: "#aaaaaa",
  link_color: "#8774e1",
  accent_text_color: "#8774e1",
  button_color: "#8774e1",
  button_text_color: "#ffffff",
  header_bg_color: "#212121",
  section_header_text_color: "#8774e1",
  section_separator_color: "#3a3a3a",
  destructive_text_color: "#ff595a",
  bottom_bar_bg_color: "#212121",
};

type MainButtonParams = {
  is_visible?: boolean;
  is_active?: boolean;
  is_progress_visible?: boolean;
  text?: string;
  color?: string;
  text_color?: string;
};

function button(id: string, style: Partial<CSSStyleDeclaration>, onClick: () => void): HTMLButtonElement {
  let element = document.getElementById(id) as HTMLButtonElement | null;
  if (!element) {
    element = document.createElement("button");
    element.id = id;
    element.addEventListener("click", onClick);
    document.body.appendChild(element);
  }
  Object.assign(element.style, style);
  return element;
}

// Telegram draws the MainButton under the page; in a plain browser we draw a stand-in.
function drawMainButton(params: MainButtonParams): void {
  const element = button(
    "mock-main-button",
    {
      position: "fixed",
      left: "12px",
      right: "12px",
      bottom: "12px",
      height: "48px",
      border: "none",
      borderRadius: "12px",
      font: "600 16px system-ui, sans-serif",
      zIndex: "1000",
    },
    () => {
      const current = element.dataset;
      if (current.active === "true" && current.progress !== "true") emitEvent("main_button_pressed");
    },
  );
  element.style.display = params.is_visible ? "block" : "none";
  element.textContent = params.is_progress_visible ? "…" : (params.text ?? "");
  element.style.background = params.color ?? "#2481cc";
  element.style.color = params.text_color ?? "#ffffff";
  element.style.opacity = params.is_active === false ? "0.5" : "1";
  element.dataset.active = String(params.is_active !== false);
  element.dataset.progress = String(params.is_progress_visible === true);
  document.body.style.paddingBottom = params.is_visible ? "72px" : "";
}

type PopupParams = { title?: string; message: string; buttons?: { id?: string; type?: string; text?: string }[] };

// Telegram shows a native popup and answers popup_closed with the pressed button's id; here a
// small dialog in the page does the same, so confirmations (cancel an order, unlink a chat,
// delete a dish) work in a plain browser.
function drawPopup(params: PopupParams): void {
  document.getElementById("mock-popup")?.remove();
  const overlay = document.createElement("div");
  overlay.id = "mock-popup";
  overlay.setAttribute("role", "dialog");
  overlay.setAttribute("aria-modal", "true");
  Object.assign(overlay.style, {
    position: "fixed",
    inset: "0",
    background: "rgba(0,0,0,0.4)",
    display: "flex",
    alignItems: "center",
    justifyContent: "center",
    zIndex: "2000",
  });
  const box = document.createElement("div");
  Object.assign(box.style, {
    background: "var(--tg-theme-bg-color, #fff)",
    color: "var(--tg-theme-text-color, #000)",
    borderRadius: "14px",
    width: "min(300px, 85vw)",
    font: "15px system-ui, sans-serif",
    overflow: "hidden",
    textAlign: "center",
  });
  const text = document.createElement("p");
  text.textContent = params.message;
  Object.assign(text.style, { margin: "0", padding: "18px 16px" });
  if (params.title) {
    const title = document.createElement("strong");
    title.textContent = params.title;
    Object.assign(title.style, { display: "block", paddingTop: "16px" });
    box.append(title);
  }
  box.append(text);
  const close = (id: string | undefined) => {
    overlay.remove();
    emitEvent("popup_closed", id === undefined ? {} : { button_id: id });
  };
  const buttons = params.buttons?.length ? params.buttons : [{ id: "", type: "close" }];
  for (const spec of buttons) {
    const button = document.createElement("button");
    const label = spec.text || { ok: "OK", close: "Закрыть", cancel: "Отмена" }[spec.type ?? "ok"] || "OK";
    button.textContent = label;
    button.dataset.mockPopupButton = spec.type ?? "default";
    Object.assign(button.style, {
      display: "block",
      width: "100%",
      padding: "12px",
      border: "none",
      borderTop: "0.5px solid rgba(128,128,128,0.35)",
      background: "transparent",
      color: spec.type === "destructive" ? "#ff3b30" : "var(--tg-theme-link-color, #2481cc)",
      font: spec.type === "cancel" ? "400 16px system-ui" : "600 16px system-ui",
      cursor: "pointer",
    });
    button.addEventListener("click", () => close(spec.id));
    box.append(button);
  }
  overlay.append(box);
  document.body.append(overlay);
}

function drawBackButton(visible: boolean): void {
  const element = button(
    "mock-back-button",
    {
      position: "fixed",
      top: "8px",
      right: "8px",
      padding: "6px 12px",
      border: "none",
      borderRadius: "8px",
      background: "rgba(0,0,0,0.55)",
      color: "#ffffff",
      font: "500 14px system-ui, sans-serif",
      zIndex: "1000",
    },
    () => emitEvent("back_button_pressed"),
  );
  element.textContent = "‹ Назад";
  element.style.display = visible ? "block" : "none";
}

/** Fakes Telegram around the app outside it. Returns the tgid asked for when no such user
 * exists (the app says so), null otherwise. */
export async function mockEnvironmentIfOutside(): Promise<string | null> {
  if (isTMA()) return null;
  const query = new URLSearchParams(window.location.search);
  const asked = query.get("tgid");
  const tgid = query.get("as") === "manager" ? DEMO_MANAGER : Number(asked ?? DEMO_EMPLOYEE);
  const dark = query.get("theme") === "dark" || window.matchMedia("(prefers-color-scheme: dark)").matches;
  // ?lang=en opens the app as a person whose Telegram speaks English.
  const languageCode = query.get("lang") ?? navigator.language.slice(0, 2);
  const response = await fetch("/api/v1/dev/sign-in", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ tgid, language_code: languageCode }),
  });
  if (response.status === 404) return String(asked ?? tgid);
  if (!response.ok) {
    console.warn("Dev sign-in is off: start the local runner with DEV_LOGIN_ENABLED=true");
    return null;
  }
  const { init_data: initData } = (await response.json()) as { init_data: string };
  const theme = dark ? DARK : LIGHT;
  mockTelegramEnv({
    launchParams: new URLSearchParams({
      tgWebAppData: initData,
      tgWebAppVersion: "8.0",
      tgWebAppPlatform: "tdesktop",
      tgWebAppThemeParams: JSON.stringify(theme),
    }),
    onEvent(event) {
      // Answer the requests a Telegram client would answer, and draw the two buttons that
      // Telegram draws natively; the rest are fire-and-forget.
      if (event.name === "web_app_setup_main_button") {
        drawMainButton(event.params as MainButtonParams);
      } else if (event.name === "web_app_setup_back_button") {
        drawBackButton((event.params as { is_visible?: boolean }).is_visible ?? false);
      } else if (event.name === "web_app_request_viewport") {
        emitEvent("viewport_changed", {
          height: window.innerHeight,
          width: window.innerWidth,
          is_expanded: true,
          is_state_stable: true,
        });
      } else if (event.name === "web_app_request_theme") {
        emitEvent("theme_changed", { theme_params: theme });
      } else if (event.name === "web_app_request_safe_area") {
        emitEvent("safe_area_changed", { top: 0, bottom: 0, left: 0, right: 0 });
      } else if (event.name === "web_app_request_content_safe_area") {
        emitEvent("content_safe_area_changed", { top: 0, bottom: 0, left: 0, right: 0 });
      } else if (event.name === "web_app_open_popup") {
        drawPopup(event.params as PopupParams);
      } else if (event.name === "web_app_open_tg_link") {
        // The share sheet and t.me links: a new tab shows where Telegram would go.
        const path = (event.params as { path_full: string }).path_full;
        window.open(`https://t.me${path}`, "_blank", "noopener");
      } else if (event.name === "web_app_request_file_download") {
        const { url, file_name: fileName } = event.params as { url: string; file_name: string };
        const link = Object.assign(document.createElement("a"), { href: url, download: fileName });
        link.click();
        emitEvent("file_download_requested", { status: "downloading" });
      }
    },
  });
  console.info(`Mock Telegram environment: signed initData for ${tgid}`);
  return null;
}
