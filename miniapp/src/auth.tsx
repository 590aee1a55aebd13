// Sign-in: Telegram's initData -> POST /auth/telegram -> a JWT kept in memory for this launch.

import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from "react";
import { ApiError, api, call, setAccessToken, whenUnauthorized, type User } from "./api/client";
import type { Launch } from "./init";
import { asApiError } from "./lib/useQuery";
import { t } from "./strings";

export type SignIn =
  | { state: "signing-in" }
  | { state: "signed-in"; user: User }
  | { state: "pending"; message: string }
  | { state: "rejected"; message: string }
  | { state: "blocked"; message: string }
  | { state: "outside" }
  | { state: "unknown-dev-user"; tgid: string }
  | { state: "failed"; error: ApiError };

const UserContext = createContext<User | null>(null);

export function useUser(): User {
  const user = useContext(UserContext);
  if (!user) throw new Error("useUser outside a signed-in tree");
  return user;
}

export function UserProvider({ user, children }: { user: User; children: ReactNode }) {
  return <UserContext.Provider value={user}>{children}</UserContext.Provider>;
}

export async function signIn(initData: string, office?: string): Promise<SignIn> {
  try {
    const body = office ? { init_data: initData, office } : { init_data: initData };
    const token = await call(api.POST("/api/v1/auth/telegram", { body }));
    setAccessToken(token.access_token);
    return { state: "signed-in", user: token.user };
  } catch (reason) {
    const error = asApiError(reason);
    if (error.code === "access_request_pending") return { state: "pending", message: error.message };
    if (error.code === "access_request_rejected") return { state: "rejected", message: error.message };
    if (error.code === "user_blocked") return { state: "blocked", message: error.message };
    return { state: "failed", error };
  }
}

export function useSignIn(launch: Launch): {
  status: SignIn;
  retry: () => void;
  sendOffice: (office: string) => Promise<SignIn>;
} {
  const [status, setStatus] = useState<SignIn>(
    launch.kind === "outside"
      ? { state: "outside" }
      : launch.kind === "unknown-dev-user"
        ? { state: "unknown-dev-user", tgid: launch.tgid }
        : { state: "signing-in" },
  );
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (launch.kind !== "telegram") return;
    let alive = true;
    setStatus({ state: "signing-in" });
    void signIn(launch.initData).then((result) => {
      if (alive) setStatus(result);
    });
    return () => {
      alive = false;
    };
  }, [launch, attempt]);
  useEffect(() => {
    whenUnauthorized(() =>
      setStatus({ state: "failed", error: new ApiError(t.errors.sessionExpired, "session_expired", 401) }),
    );
  }, []);
  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  // A newcomer waiting for approval says which office they are in: the same sign-in, with it.
  const sendOffice = useCallback(
    async (office: string) => {
      if (launch.kind !== "telegram") return status;
      const result = await signIn(launch.initData, office);
      if (result.state !== "pending") setStatus(result);
      return result;
    },
    [launch, status],
  );
  return { status, retry, sendOffice };
}
