import type { FastifyInstance, FastifyRequest } from 'fastify';
import { checkTerminology, type TerminologyFinding } from '@tiaki/domain';
import type { Db } from '../db/database.ts';
import { HttpError } from './errors.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Body fields that are free text about a child (`actions.*.description` for each item of a
     * list). The terminology guard checks them before the handler runs: flagged wording is refused
     * with 400 `wording_check` and nothing is saved, unless the body says `keepWording: true`.
     */
    wording?: readonly string[];
  }
}

/** The texts at a dotted path; `*` walks every item of a list. */
function textsAt(value: unknown, path: readonly string[], at: string): { path: string; text: string }[] {
  if (path.length === 0) return typeof value === 'string' ? [{ path: at, text: value }] : [];
  const [head, ...rest] = path;
  if (head === '*') {
    return Array.isArray(value)
      ? value.flatMap((item, index) => textsAt(item, rest, at ? `${at}.${index}` : String(index)))
      : [];
  }
  if (typeof value !== 'object' || value === null || head === undefined) return [];
  return textsAt((value as Record<string, unknown>)[head], rest, at ? `${at}.${head}` : head);
}

/** One plain sentence per field: what to look at, why, and what to say instead. */
export function wordingMessage(findings: readonly TerminologyFinding[]): string {
  const parts = findings.slice(0, 2).map((f) => {
    const instead = f.preferred[0] ? ` Say instead: “${f.preferred[0]}”.` : '';
    return `“${f.text}”: ${f.reason}${instead}`;
  });
  const more = findings.length > 2 ? ` (and ${findings.length - 2} more)` : '';
  return `Check the words about the child. ${parts.join(' ')}${more} If these are someone’s own words, put them in quotation marks.`;
}

/** The fields of a body whose wording the guard flags, with a message for each. */
export function wordingProblems(
  body: unknown,
  fields: readonly string[],
): { path: string; message: string; findings: TerminologyFinding[] }[] {
  return fields
    .flatMap((field) => textsAt(body, field.split('.'), ''))
    .map(({ path, text }) => ({ path, findings: checkTerminology(text) }))
    .filter((entry) => entry.findings.length > 0)
    .map(({ path, findings }) => ({ path, message: wordingMessage(findings), findings }));
}

/**
 * Answers 404 when the record a request writes about does not exist for the caller. The guard
 * calls it before refusing flagged words, so a missing (or unseen) record answers as it would
 * without them, never 400 `wording_check`. The modules provide it (http sits below them).
 */
export type SubjectCheck = (db: Db, request: FastifyRequest) => Promise<void>;

/** Runs the terminology guard on every route that declares `config.wording`. */
export function installWordingCheck(app: FastifyInstance, db: Db, requireSubject: SubjectCheck): void {
  app.addHook('preHandler', async (request) => {
    const fields = request.routeOptions.config.wording;
    const body: unknown = request.body;
    if (
      !fields ||
      typeof body !== 'object' ||
      body === null ||
      ('keepWording' in body && body.keepWording === true)
    )
      return;
    const problems = wordingProblems(body, fields);
    if (problems.length === 0) return;
    await requireSubject(db, request);
    throw new HttpError(
      400,
      'wording_check',
      'Some words may suggest the child agreed to, chose or is to blame for what happened to them. Nothing was saved. Change the words, or put someone’s own words in quotation marks, then save again.',
      problems.map(({ path, message }) => ({ path, message })),
      {
        wording: problems.flatMap(({ path, findings }) =>
          findings.map((f) => ({ path, text: f.text, ruleId: f.ruleId, preferred: f.preferred })),
        ),
      },
    );
  });
}
