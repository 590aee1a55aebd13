// The Telegram SDK, initialised once before the first render.
//
// @tma.js/sdk is bundled rather than loading telegram-web-app.js from telegram.org: it is
// typed, tree-shakes to what we use, works offline in tests and local runs, and ships the
// mock environment we use outside Telegram during development.

import {
  backButton,
  copyTextToClipboard,
  downloadFile,
  hapticFeedback,
  init as initSdk,
  isTMA,
  mainButton,
  miniApp,
  openTelegramLink,
  popup,
  retrieveRawInitData,
  shareURL,
  swipeBehavior,
  themeParams,
  viewport,
} from "@tma.js/sdk-react";

export type Launch =
  | { kind: "telegram"; initData: string }
  | { kind: "outside" }
  | { kind: "unknown-dev-user"; tgid: string };

/** The person's Telegram language (`language_code` in initData's user), if any. */
export function languageCodeOf(initData: string): string | null {
  try {
    const user = new URLSearchParams(initData).get("user");
    const parsed = user ? (JSON.parse(user) as { language_code?: unknown }) : null;
    return typeof parsed?.language_code === "string" ? parsed.language_code : null;
  } catch {
    return null;
  }
}

function tryTo(action: () => void): void {
  try {
    action();
  } catch (error) {
    // An older Telegram client lacks a method: the app works without it.
    if (import.meta.env.DEV) console.warn(error);
  }
}

export async function initTelegram(): Promise<Launch> {
  if (import.meta.env.DEV || import.meta.env.MODE === "runner") {
    // Only in `vite dev` and the local runner's build (`npm run build:local`, mode "runner"):
    // the whole module is dropped from production builds, where MODE is "production".
    const { mockEnvironmentIfOutside } = await import("./mockEnv");
    const refused = await mockEnvironmentIfOutside();
    if (refused) return { kind: "unknown-dev-user", tgid: refused };
  }
  if (!isTMA()) return { kind: "outside" };

  initSdk();
  tryTo(() => {
    themeParams.mount();
    themeParams.bindCssVars();
  });
  tryTo(() => {
    miniApp.mount();
    miniApp.bindCssVars();
  });
  tryTo(() => backButton.mount());
  tryTo(() => mainButton.mount());
  tryTo(() => {
    swipeBehavior.mount();
    swipeBehavior.disableVertical();
  });
  // The viewport answers asynchronously; the page renders meanwhile with CSS fallbacks.
  if (viewport.mount.isAvailable()) {
    viewport
      .mount()
      .then(() => {
        viewport.bindCssVars();
        if (!viewport.isExpanded()) viewport.expand();
      })
      .catch(() => undefined);
  }
  tryTo(() => miniApp.ready());
  const initData = retrieveRawInitData() ?? "";
  return { kind: "telegram", initData };
}

/** A short vibration on confirm; silent where Telegram has no haptics. */
export function hapticSuccess(): void {
  tryTo(() => {
    if (hapticFeedback.isSupported()) hapticFeedback.notificationOccurred("success");
  });
}

export function hapticError(): void {
  tryTo(() => {
    if (hapticFeedback.isSupported()) hapticFeedback.notificationOccurred("error");
  });
}

export function hapticSelect(): void {
  tryTo(() => {
    if (hapticFeedback.isSupported()) hapticFeedback.selectionChanged();
  });
}

export function isDarkTheme(): boolean {
  try {
    return miniApp.isMounted() ? miniApp.isDark() : false;
  } catch {
    return false;
  }
}

/** Asks a yes/no question in Telegram's native popup (the browser's dialog elsewhere). */
export async function confirmAction(message: string, confirmText: string): Promise<boolean> {
  try {
    if (popup.show.isAvailable()) {
      const pressed = await popup.show({
        message,
        buttons: [
          { id: "confirm", type: "destructive", text: confirmText },
          { id: "cancel", type: "cancel" },
        ],
      });
      return pressed === "confirm";
    }
  } catch {
    // Fall through to the browser's dialog.
  }
  return window.confirm(message);
}

/** Telegram's share sheet for a link; false where the client cannot share (the caller copies). */
export function shareLink(url: string, text: string): boolean {
  try {
    if (shareURL.isAvailable()) {
      shareURL(url, text);
      return true;
    }
    if (openTelegramLink.isAvailable()) {
      openTelegramLink(`https://t.me/share/url?url=${encodeURIComponent(url)}&text=${encodeURIComponent(text)}`);
      return true;
    }
  } catch {
    // Fall through: the caller offers to copy instead.
  }
  return false;
}

/** Copies text through Telegram (or the browser's clipboard); false if neither could. */
export async function copyText(text: string): Promise<boolean> {
  try {
    await copyTextToClipboard(text);
    return true;
  } catch {
    return false;
  }
}

/** Whether Telegram's client downloads files for the app (Mini Apps 8.0+). A blob link does not
 * work in every mobile client's web view, so this is the way when it is there. */
export function canDownloadThroughTelegram(): boolean {
  try {
    return downloadFile.isAvailable();
  } catch {
    return false;
  }
}

/** Hands `url` to Telegram's native download; false when the person declined it. */
export async function downloadThroughTelegram(url: string, fileName: string): Promise<boolean> {
  try {
    await downloadFile(url, fileName);
    return true;
  } catch (error) {
    if (error instanceof Error && /denied/i.test(error.message)) return false;
    throw error;
  }
}
