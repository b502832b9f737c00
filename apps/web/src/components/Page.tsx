import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

let firstPageShown = false;

interface PageProps {
  /** The page's name, for the browser tab (and the heading, unless `heading` is given). */
  title: string;
  heading?: string;
  /** Short text under the heading. */
  lead?: ReactNode;
  children?: ReactNode;
  narrow?: boolean;
  /** A stand-in shown while loading: it neither takes focus nor counts as the first page. */
  transient?: boolean;
}

/**
 * Every page has exactly one <h1>. After a navigation the heading receives focus, so keyboard and
 * screen-reader users start at the top of the new page and hear its name.
 */
export function Page({ title, heading, lead, children, narrow = false, transient = false }: PageProps) {
  const { t } = useTranslation();
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    document.title = t('app.documentTitle', { page: title });
  }, [t, title]);

  useEffect(() => {
    if (transient) return;
    // The first page after loading keeps the browser's natural focus (the top of the document).
    if (firstPageShown) headingRef.current?.focus();
    firstPageShown = true;
  }, [transient]);

  return (
    <div className={narrow ? 'page page-narrow' : 'page'}>
      <h1 ref={headingRef} tabIndex={-1} className="page-heading">
        {heading ?? title}
      </h1>
      {lead ? <p className="lead">{lead}</p> : null}
      {children}
    </div>
  );
}
