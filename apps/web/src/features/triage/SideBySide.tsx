import { useTranslation } from 'react-i18next';
import type { DuplicateCandidate, ReferralDetail } from '@tiaki/domain';
import { DataTable } from '../../components/tables.tsx';
import { formatDate } from '../../i18n/format.ts';
import { regionName } from '../referrals/labels.ts';
import { ageBandName, genderName } from './labels.ts';

/** Names compared as a person would: case, accents and spacing aside ("Ngāire" is "Ngaire"). */
export function sameText(a: string, b: string): boolean {
  const plain = (text: string) =>
    text
      .normalize('NFD')
      .replaceAll(/\p{M}/gu, '')
      .toLowerCase()
      .replaceAll(/[^\p{L}\p{N}]+/gu, ' ')
      .trim();
  return plain(a) === plain(b);
}

/** Whether two values agree: null when either side is not known, so nothing can be said. */
export function agreement(incoming: string, known: string): 'same' | 'differs' | null {
  if (!incoming || !known) return null;
  return sameText(incoming, known) ? 'same' : 'differs';
}

interface Row {
  label: string;
  incoming: string;
  known: string;
  /** A comparison other than equal text (a list of aliases shares a name, for example). */
  verdict?: 'same' | 'differs' | null;
}

/**
 * The incoming referral and a child already known, detail by detail, side by side. Each detail
 * that differs is marked in words and by colour, so the officer checks exactly those.
 */
export function SideBySide({
  candidate,
  referral,
  reference,
}: {
  candidate: DuplicateCandidate;
  referral: ReferralDetail;
  reference: string;
}) {
  const { t } = useTranslation();
  const child = referral.data.child;
  const incomingAliases = child.aliases;
  const sharedAlias =
    incomingAliases.length && candidate.aliases.length
      ? incomingAliases.some((a) => candidate.aliases.some((b) => sameText(a, b)))
        ? 'same'
        : 'differs'
      : null;
  const rows: Row[] = [
    {
      label: t('referrals.fields.givenNames'),
      incoming: child.givenNames ?? '',
      known: candidate.givenNames ?? '',
    },
    {
      label: t('referrals.fields.familyName'),
      incoming: child.familyName ?? '',
      known: candidate.familyName ?? '',
    },
    {
      label: t('triage.candidates.aliases'),
      incoming: incomingAliases.join('; '),
      known: candidate.aliases.join('; '),
      verdict: sharedAlias,
    },
    {
      label: t('referrals.fields.dateOfBirth'),
      incoming: child.dateOfBirth ? formatDate(child.dateOfBirth) : '',
      known: candidate.dateOfBirth ? formatDate(candidate.dateOfBirth) : '',
    },
    {
      label: t('referrals.fields.ageBandSelect'),
      incoming: ageBandName(child.ageBand ?? null) ?? '',
      known: ageBandName(candidate.ageBand) ?? '',
    },
    {
      label: t('referrals.fields.gender'),
      incoming: genderName(child.gender) ?? '',
      known: genderName(candidate.gender) ?? '',
    },
    {
      label: t('referrals.fields.region'),
      incoming: regionName(referral.data.concern.region),
      known: regionName(candidate.region),
    },
  ];
  const differing = rows.filter((row) => verdictOf(row) === 'differs').length;
  // On a phone each detail is stacked, every value under its column's name.
  const incomingLabel = t('triage.compare.incoming', { reference: referral.reference });
  const knownLabel = t('triage.compare.known', { reference });
  const verdictLabel = t('triage.compare.verdict');
  return (
    <>
      <DataTable
        id={`compare-${candidate.candidateId}`}
        compact
        stack
        caption={t('triage.compare.caption', { reference: referral.reference, case: reference })}
        columns={[t('triage.compare.detail'), incomingLabel, knownLabel, verdictLabel]}
        rows={rows}
        empty=""
        renderRow={(row) => {
          const verdict = verdictOf(row);
          return (
            <tr key={row.label} className={verdict === 'differs' ? 'match-differs' : undefined}>
              <th scope="row" className="cell-name">
                {row.label}
              </th>
              <td data-label={incomingLabel}>{row.incoming || t('triage.compare.notGiven')}</td>
              <td data-label={knownLabel}>{row.known || t('triage.compare.notGiven')}</td>
              <td data-label={verdictLabel} className={verdict === 'same' ? 'match-same' : undefined}>
                {verdict ? t(`triage.compare.${verdict}`) : t('triage.compare.cannotTell')}
              </td>
            </tr>
          );
        }}
      />
      <p className="hint">
        {differing ? t('triage.compare.differing', { count: differing }) : t('triage.compare.noneDiffer')}
      </p>
    </>
  );
}

function verdictOf(row: Row): 'same' | 'differs' | null {
  return row.verdict === undefined ? agreement(row.incoming, row.known) : row.verdict;
}
