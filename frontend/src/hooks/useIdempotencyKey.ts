import { useCallback, useState } from "react";

import { newId } from "@/lib/ids";

/**
 * One key per intended change: a double click or a retry of the same submission sends the same
 * key, so the server posts it once. Call `renew()` after success, before the next submission.
 */
export function useIdempotencyKey(): [string, () => void] {
  const [key, setKey] = useState(newId);
  const renew = useCallback(() => setKey(newId()), []);
  return [key, renew];
}
