import { useEffect } from "react";

const ACTIVITY = ["keydown", "pointerdown", "wheel", "touchstart"] as const;

/**
 * Calls `onIdle` after `minutes` without keyboard or pointer input (a counter left unattended).
 * Checked every few seconds against the last activity, so a sleeping laptop times out on waking.
 */
export function useIdleTimeout(active: boolean, minutes: number, onIdle: () => void): void {
  useEffect(() => {
    if (!active) return undefined;
    let last = Date.now();
    const touch = () => {
      last = Date.now();
    };
    for (const e of ACTIVITY) window.addEventListener(e, touch, { passive: true });
    const timer = window.setInterval(() => {
      if (Date.now() - last >= minutes * 60_000) onIdle();
    }, 5_000);
    return () => {
      for (const e of ACTIVITY) window.removeEventListener(e, touch);
      window.clearInterval(timer);
    };
  }, [active, minutes, onIdle]);
}
