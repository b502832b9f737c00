import { useCallback, useRef, useState } from 'react';
import type { Draft } from '@tiaki/domain';
import { ApiRequestError } from '../../api/client.ts';
import { referralsApi, type DraftBody } from './api.ts';

export interface DraftRef {
  id: string;
  version: number;
}

export type SaveStatus =
  | { kind: 'idle' }
  | { kind: 'saving' }
  | { kind: 'saved'; at: Date; body: DraftBody }
  | { kind: 'error'; error: unknown };

const isCode = (error: unknown, code: string) => error instanceof ApiRequestError && error.code === code;

/**
 * Saves the form as a draft, one save at a time: a change made while a save is under way is saved
 * right after it. The first save creates the draft. If the draft was changed elsewhere (another
 * window), the answers here are saved over it and `conflict` says so; if it was deleted, a new
 * draft is made.
 */
export function useDraftSaver(initial: DraftRef | null, onCreated: (id: string) => void) {
  const draft = useRef<DraftRef | null>(initial);
  const running = useRef<Promise<void> | null>(null);
  const queued = useRef<DraftBody | null>(null);
  /** The page is being left: the next requests must outlive it. */
  const leaving = useRef(false);
  const stopped = useRef(false);
  const [status, setStatus] = useState<SaveStatus>({ kind: 'idle' });
  const [conflict, setConflict] = useState(false);

  const write = useCallback(
    async (body: DraftBody): Promise<Draft> => {
      const current = draft.current;
      const options = leaving.current ? { keepalive: true } : undefined;
      if (!current) {
        const created = await referralsApi.createDraft(body, options);
        onCreated(created.id);
        return created;
      }
      try {
        return await referralsApi.saveDraft(current.id, { ...body, version: current.version }, options);
      } catch (error) {
        if (isCode(error, 'version_conflict')) {
          const { drafts } = await referralsApi.drafts();
          const latest = drafts.find((d) => d.id === current.id);
          if (latest) {
            setConflict(true);
            return referralsApi.saveDraft(current.id, { ...body, version: latest.version });
          }
        }
        // Gone (discarded in another window, or submitted): keep the answers in a new draft.
        if (isCode(error, 'version_conflict') || isCode(error, 'not_found')) {
          draft.current = null;
          const created = await referralsApi.createDraft(body);
          onCreated(created.id);
          return created;
        }
        throw error;
      }
    },
    [onCreated],
  );

  const save = useCallback(
    (body: DraftBody, leavingPage = false): Promise<void> => {
      if (stopped.current) return Promise.resolve();
      if (leavingPage) leaving.current = true;
      queued.current = body;
      if (running.current) return running.current;
      const loop = async () => {
        while (queued.current && !stopped.current) {
          const next = queued.current;
          queued.current = null;
          setStatus({ kind: 'saving' });
          try {
            const saved = await write(next);
            draft.current = { id: saved.id, version: saved.version };
            setStatus({ kind: 'saved', at: new Date(), body: next });
          } catch (error) {
            setStatus({ kind: 'error', error });
          }
        }
        running.current = null;
      };
      running.current = loop();
      return running.current;
    },
    [write],
  );

  /** No more saves (the referral is being submitted); waits for one under way to finish. */
  const stop = useCallback(async () => {
    stopped.current = true;
    queued.current = null;
    await running.current;
  }, []);

  /** Saves may start again (submitting failed). */
  const resume = useCallback(() => {
    stopped.current = false;
  }, []);

  const draftId = useCallback(() => draft.current?.id, []);

  return { save, stop, resume, draftId, status, conflict };
}
