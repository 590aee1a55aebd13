// The on-demand recommendations' refusals, in words a person can act on.

import type { ApiError } from "../api/client";
import { t } from "../strings";

/** Why a refresh was refused, in the app's language (the server's words for anything else). */
export function refreshRefusal(error: ApiError): string {
  if (error.status === 400 && error.code === "not_enough_orders") return t.advice.notEnough;
  if (error.status === 429) return t.advice.tooMany;
  if (error.status === 503) return t.advice.unavailable;
  return error.message;
}
