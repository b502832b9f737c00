import { myWork } from '@tiaki/domain';
import { api } from '../../api/client.ts';

export const homeApi = {
  myWork: () => api.get('/api/my-work', myWork),
};
