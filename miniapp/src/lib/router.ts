// A small hash router: the app is one page served from "/", and Telegram keeps its launch
// parameters in the hash at start, so routes live in "#/..." after sign-in.

import { useSyncExternalStore } from "react";

function currentPath(): string {
  const hash = window.location.hash;
  return hash.startsWith("#/") ? hash.slice(1) : "/";
}

function subscribe(listener: () => void): () => void {
  window.addEventListener("hashchange", listener);
  return () => window.removeEventListener("hashchange", listener);
}

export function usePath(): string {
  return useSyncExternalStore(subscribe, currentPath, () => "/");
}

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  const target = `#${path}`;
  if (options.replace) {
    window.history.replaceState(null, "", target);
    window.dispatchEvent(new HashChangeEvent("hashchange"));
  } else {
    window.location.hash = path;
  }
}

/** The parent of a path: "/manage/cafes/3" -> "/manage/cafes"; used by the BackButton. */
export function parentOf(path: string): string {
  const clean = path.split("?")[0] ?? "/";
  const parts = clean.split("/").filter(Boolean);
  parts.pop();
  return `/${parts.join("/")}`;
}

/** Matches "/orders/:id" against "/orders/12" -> {id: "12"}; null if it does not match. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const [clean = ""] = path.split("?");
  const want = pattern.split("/").filter(Boolean);
  const got = clean.split("/").filter(Boolean);
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] as string;
    const g = got[i] as string;
    if (w.startsWith(":")) params[w.slice(1)] = decodeURIComponent(g);
    else if (w !== g) return null;
  }
  return params;
}

export function queryParam(path: string, name: string): string | null {
  const query = path.split("?")[1];
  return query ? new URLSearchParams(query).get(name) : null;
}
