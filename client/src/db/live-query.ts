// React binding for Dexie's liveQuery: re-runs the query whenever the tables it read change, in this tab
// or any other tab of the origin (Dexie broadcasts changes), which is what keeps tabs consistent.
import { liveQuery } from 'dexie';
import { useEffect, useState } from 'react';

/** The query's latest result; `undefined` until the first result arrives. */
export function useLiveQuery<T>(query: (() => Promise<T>) | null, deps: readonly unknown[]): T | undefined {
  const [value, setValue] = useState<{ deps: readonly unknown[]; value: T } | undefined>(undefined);
  useEffect(() => {
    if (!query) return;
    const subscription = liveQuery(query).subscribe({
      next: (result) => setValue({ deps, value: result }),
      error: (error: unknown) => console.warn('fieldboard: local query failed', error),
    });
    return () => subscription.unsubscribe();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  // Never hand out a result computed for other deps (for example the previous project).
  if (!value || value.deps.length !== deps.length || value.deps.some((d, i) => !Object.is(d, deps[i]))) return undefined;
  return value.value;
}
