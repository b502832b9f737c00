import { searchResults } from '@tiaki/domain';
import { api, query } from '../../api/client.ts';

export const searchApi = {
  /** One audited search: by reference, the child's name (or one that sounds alike) or date of birth. */
  find: (q: string) => api.get(`/api/search${query({ q })}`, searchResults),
};
