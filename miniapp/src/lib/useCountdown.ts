import { useEffect, useState } from "react";

/** Seconds left, counted from the server's answer (not the device clock, which may be off). */
export function useCountdown(secondsAtLoad: number | null): number | null {
  const [loadedAt] = useState(() => performance.now());
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    if (secondsAtLoad === null) return;
    const timer = window.setInterval(() => setNow(performance.now()), 1000);
    return () => window.clearInterval(timer);
  }, [secondsAtLoad]);
  if (secondsAtLoad === null) return null;
  return Math.max(0, secondsAtLoad - (now - loadedAt) / 1000);
}
