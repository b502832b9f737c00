// The one name matcher: the normaliser, the phonetic key and the table of other forms of a name,
// used by the engine's comparisons and blocking, by the encoder, and by the product's candidate
// search (packages/domain names.ts). One place, so a name found as a candidate is scored and
// encoded the same way. Pure functions, no Node APIs: the web app may import it too.
import { groupHeadName, nicknameGroups } from './nicknames.ts';
import { phoneticKey } from './phonetic.ts';
import { normalise, tokens } from './text.ts';

export { normalise, tokens, phoneticKey };
export { areNicknames, nicknameGroups } from './nicknames.ts';

/**
 * Stable keys of the groups a normalised name token belongs to: the first name of each group
 * ("bill" → ["william"], "sione" → ["john"]). Two names sharing a key are known forms of one name.
 */
export function nameFormKeys(token: string): string[] {
  return [...new Set(nicknameGroups(token).map(groupHeadName))];
}
