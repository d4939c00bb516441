// Runs a doc-model write with this session's context and turns refused input (DocModelError) into a
// message the screen shows, instead of an uncaught exception.
import { useCallback, useMemo, useState } from 'react';
import { DocModelError, type WriteContext } from '../../../shared/doc-model.ts';

export function useDocWrite(origin: unknown, userId: string) {
  const [error, setError] = useState<string | null>(null);
  const ctx: WriteContext = useMemo(() => ({ origin, userId }), [origin, userId]);
  const run = useCallback(
    <T,>(write: (ctx: WriteContext) => T): T | undefined => {
      try {
        const result = write(ctx);
        setError(null);
        return result;
      } catch (caught) {
        if (caught instanceof DocModelError) {
          setError(caught.code === 'NOT_FOUND' ? 'That item no longer exists; someone may have deleted it.' : caught.message);
          return undefined;
        }
        throw caught;
      }
    },
    [ctx],
  );
  return { run, error, clearError: () => setError(null), ctx };
}
