// The typed API client: openapi-fetch over the types generated from the backend's OpenAPI.

import createClient from "openapi-fetch";
import { language, t } from "../strings";
import type { components, paths } from "./schema";

export type Schemas = components["schemas"];
export type User = Schemas["UserOut"];
export type Cafe = Schemas["CafeOut"];
export type MenuItem = Schemas["MenuItemOut"];
export type MenuOption = Schemas["OptionOut"];
export type Combo = Schemas["ComboOut"];
export type Order = Schemas["OrderOut"];
export type OrderCreate = Schemas["OrderCreate"];
export type DayAvailability = Schemas["DayAvailabilityOut"];
export type Availability = Schemas["AvailabilityOut"];
export type Balance = Schemas["BalanceOut"];
export type Schedule = Schemas["ScheduleOut"];
export type LinkRequest = Schemas["LinkRequestOut"];
export type AccessRequest = Schemas["AccessRequestOut"];
export type ImportReport = Schemas["ImportReport"];
export type Recommendations = Schemas["RecommendationsOut"];
export type CafeReport = Schemas["CafeReport"];

/** An error the API answered with ({detail, code, errors}), or a network failure (status 0).
 * `fields` holds the readable message for each field the server named ("price", "name"). */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly status: number,
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }

  /** The message for a field (or any field under it, "schedules.5" for "schedules.5.deadline_time"). */
  field(name: string): string | undefined {
    if (this.fields[name]) return this.fields[name];
    const nested = Object.keys(this.fields).find((key) => key.startsWith(`${name}.`));
    return nested ? this.fields[nested] : undefined;
  }

  /** True when every problem is shown beside a field, so no box above the form is needed. */
  coveredBy(shown: readonly string[]): boolean {
    const keys = Object.keys(this.fields);
    return keys.length > 0 && keys.every((key) => shown.some((name) => key === name || key.startsWith(`${name}.`)));
  }
}

let accessToken: string | null = null;
let onUnauthorized: (() => void) | null = null;

export function setAccessToken(token: string | null): void {
  accessToken = token;
}

export function whenUnauthorized(handler: () => void): void {
  onUnauthorized = handler;
}

export function authHeaders(): Record<string, string> {
  const headers: Record<string, string> = { "Accept-Language": language };
  if (accessToken) headers.Authorization = `Bearer ${accessToken}`;
  return headers;
}

export const api = createClient<paths>({ baseUrl: "" });

api.use({
  onRequest({ request }) {
    if (accessToken) request.headers.set("Authorization", `Bearer ${accessToken}`);
    // The server answers refusals in the app's language (Russian unless Telegram speaks English).
    request.headers.set("Accept-Language", language);
    return request;
  },
});

/** The readable error for a failed response body (our `{detail, code}` or anything else). */
export function toApiError(body: unknown, status: number): ApiError {
  if (body && typeof body === "object" && "detail" in body) {
    const { detail, code, errors } = body as { detail: unknown; code?: unknown; errors?: unknown };
    if (typeof detail === "string") {
      const fields: Record<string, string> = {};
      if (Array.isArray(errors)) {
        for (const item of errors as { field?: unknown; message?: unknown }[]) {
          if (typeof item.field === "string" && item.field && typeof item.message === "string") {
            fields[item.field] ??= item.message;
          }
        }
      }
      return new ApiError(detail, typeof code === "string" ? code : "error", status, fields);
    }
  }
  if (status >= 500) return new ApiError(t.errors.server, "server_error", status);
  return new ApiError(t.errors.unknown, "error", status);
}

/** Unwraps an openapi-fetch result: the data, or a thrown ApiError with a readable message. */
export async function call<D>(
  request: Promise<{ data?: D; error?: unknown; response: Response }>,
): Promise<D> {
  let result: { data?: D; error?: unknown; response: Response };
  try {
    result = await request;
  } catch {
    throw new ApiError(t.errors.network, "network", 0);
  }
  const { data, error, response } = result;
  if (!response.ok) {
    if (response.status === 401) onUnauthorized?.();
    throw toApiError(error, response.status);
  }
  return data as D;
}

/** The file name of a Content-Disposition header: RFC 5987's `filename*` (UTF-8, for Cyrillic
 * names) wins over the plain ASCII `filename`. */
export function fileNameOf(disposition: string, fallback: string): string {
  const extended = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(disposition);
  if (extended?.[2]) {
    try {
      return decodeURIComponent(extended[2].trim());
    } catch {
      // A malformed encoding: fall back to the plain name.
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(disposition);
  return plain?.[1]?.trim() || fallback;
}

/** Downloads a file from an authenticated GET (reports), keeping the server's file name. */
export async function download(path: string, fallbackName: string): Promise<void> {
  let response: Response;
  try {
    response = await fetch(path, { headers: authHeaders() });
  } catch {
    throw new ApiError(t.errors.network, "network", 0);
  }
  if (!response.ok) {
    throw toApiError(await response.json().catch(() => null), response.status);
  }
  const name = fileNameOf(response.headers.get("Content-Disposition") ?? "", fallbackName);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
