// Loading state, error and data for one request, with a small cache: a query with a `key`
// shows what it last loaded at once (then refreshes), and `invalidate(prefix)` makes every
// mounted query under that key reload after a change. Enough for this app without a
// data-fetching library in the bundle.

import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError } from "../api/client";

export interface Query<T> {
  data: T | undefined;
  error: ApiError | null;
  loading: boolean;
  reload: () => void;
}

const cache = new Map<string, unknown>();
const mounted = new Map<string, Set<() => void>>();

/** Forgets what was loaded under keys starting with `prefix` and reloads the queries showing it. */
export function invalidate(...prefixes: string[]): void {
  const matches = (key: string) => prefixes.some((prefix) => key === prefix || key.startsWith(`${prefix}/`));
  for (const key of [...cache.keys()]) if (matches(key)) cache.delete(key);
  for (const [key, reloads] of mounted) if (matches(key)) for (const reload of reloads) reload();
}

export function cached<T>(key: string): T | undefined {
  return cache.get(key) as T | undefined;
}

export function useQuery<T>(load: () => Promise<T>, deps: readonly unknown[], key?: string): Query<T> {
  const [data, setData] = useState<T | undefined>(() => (key ? cached<T>(key) : undefined));
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);
  const [version, setVersion] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const reload = useCallback(() => setVersion((v) => v + 1), []);

  useEffect(() => {
    if (!key) return;
    const reloads = mounted.get(key) ?? new Set();
    reloads.add(reload);
    mounted.set(key, reloads);
    return () => {
      reloads.delete(reload);
    };
  }, [key, reload]);

  useEffect(() => {
    let alive = true;
    setLoading(true);
    setError(null);
    loadRef
      .current()
      .then((value) => {
        if (key) cache.set(key, value);
        if (alive) setData(value);
      })
      .catch((reason: unknown) => {
        if (alive) setError(asApiError(reason));
      })
      .finally(() => {
        if (alive) setLoading(false);
      });
    return () => {
      alive = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, key, version]);

  return { data, error, loading, reload };
}

export function asApiError(reason: unknown): ApiError {
  if (reason instanceof ApiError) return reason;
  return new ApiError(reason instanceof Error ? reason.message : String(reason), "error", 0);
}
