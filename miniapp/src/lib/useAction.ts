// One save, delete or decision: busy while it runs, haptics and a toast that stays long enough to
// read after it, and the refusal kept for the form to show beside its fields.

import { useCallback, useState } from "react";
import type { ApiError } from "../api/client";
import { toast } from "../components/ui";
import { hapticError, hapticSuccess } from "../init";
import { asApiError, invalidate } from "./useQuery";

export interface Action {
  busy: boolean;
  error: ApiError | null;
  /** Runs `action`; on success says `done`, reloads queries under `keys`; false if refused. */
  run: (action: () => Promise<unknown>, done?: string, keys?: string[]) => Promise<boolean>;
  clear: () => void;
}

export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const run = useCallback(async (action: () => Promise<unknown>, done?: string, keys: string[] = []) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      hapticSuccess();
      if (done) toast(done);
      if (keys.length) invalidate(...keys);
      return true;
    } catch (reason) {
      hapticError();
      setError(asApiError(reason));
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  const clear = useCallback(() => setError(null), []);
  return { busy, error, run, clear };
}
