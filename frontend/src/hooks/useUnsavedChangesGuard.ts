import { useEffect } from "react";
import { useBlocker, type Blocker } from "react-router-dom";

/**
 * While `dirty`, leaving the page asks first: in-app navigation through the returned blocker
 * (render <UnsavedChangesModal blocker={…} />), a reload or closed tab through the browser's own
 * prompt.
 */
export function useUnsavedChangesGuard(dirty: boolean): Blocker {
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) =>
      dirty && currentLocation.pathname !== nextLocation.pathname,
  );
  useEffect(() => {
    if (!dirty) return undefined;
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      event.returnValue = "";
    };
    window.addEventListener("beforeunload", onBeforeUnload);
    return () => window.removeEventListener("beforeunload", onBeforeUnload);
  }, [dirty]);
  return blocker;
}
