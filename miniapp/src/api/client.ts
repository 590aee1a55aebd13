// The typed API client: openapi-fetch over the types generated from the backend's OpenAPI.

import createClient from "openapi-fetch";
import { t } from "../strings";
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

/** An error the API answered with ({detail, code}), or a network failure (status 0). */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly status: number,
  ) {
    super(message);
    this.name = "ApiError";
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
  return accessToken ? { Authorization: `Bearer ${accessToken}` } : {};
}

export const api = createClient<paths>({ baseUrl: "" });

api.use({
  onRequest({ request }) {
    if (accessToken) request.headers.set("Authorization", `Bearer ${accessToken}`);
    return request;
  },
});

/** The readable error for a failed response body (our `{detail, code}` or anything else). */
export function toApiError(body: unknown, status: number): ApiError {
  if (body && typeof body === "object" && "detail" in body) {
    const { detail, code } = body as { detail: unknown; code?: unknown };
    if (typeof detail === "string") {
      return new ApiError(detail, typeof code === "string" ? code : "error", status);
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
  const disposition = response.headers.get("Content-Disposition") ?? "";
  const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
