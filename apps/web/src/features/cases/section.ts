import type { CaseDetail } from '@tiaki/domain';

/** What every section of the case page is given. */
export interface SectionProps {
  detail: CaseDetail;
  /** After a change: loads the case again and announces the message. */
  onChanged: (message: string) => Promise<void>;
  /** Loads the case again, after someone else changed it first. */
  onReload: () => void;
}
