import { useCallback, useEffect, useState } from 'react';

export type Loadable<T> =
  { status: 'loading' } | { status: 'error'; error: unknown } | { status: 'ready'; data: T };

export interface Loaded<T> {
  state: Loadable<T>;
  /** Loads again, keeping what is shown until the new data arrives. */
  reload: () => Promise<T | null>;
  /** Changes the loaded data in place, for example with a record the server just returned. */
  update: (change: (data: T) => T) => void;
}

/** Loads data when the page opens. `load` must be a stable function (defined outside the component). */
export function useLoad<T>(load: () => Promise<T>): Loaded<T> {
  const [state, setState] = useState<Loadable<T>>({ status: 'loading' });

  useEffect(() => {
    let cancelled = false;
    load().then(
      (data) => {
        if (!cancelled) setState({ status: 'ready', data });
      },
      (error: unknown) => {
        if (!cancelled) setState({ status: 'error', error });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [load]);

  const reload = useCallback(async () => {
    try {
      const data = await load();
      setState({ status: 'ready', data });
      return data;
    } catch (error) {
      setState({ status: 'error', error });
      return null;
    }
  }, [load]);

  const update = useCallback((change: (data: T) => T) => {
    setState((current) =>
      current.status === 'ready' ? { status: 'ready', data: change(current.data) } : current,
    );
  }, []);

  return { state, reload, update };
}
