import { useEffect, useId, useRef, type ReactNode, type RefObject } from 'react';

interface PanelProps {
  heading: ReactNode;
  /** Draws attention to the panel, for something the person must act on now. */
  important?: boolean;
  /** A control beside the heading, such as Close. */
  aside?: ReactNode;
  /** Lets the panel move focus back to its heading (for example after Cancel). */
  headingRef?: RefObject<HTMLHeadingElement | null>;
  children: ReactNode;
}

/**
 * A section that opens in the page, such as a form to add or change something. Its heading takes
 * focus when it opens, so keyboard and screen-reader users start at the top of it.
 */
export function Panel({ heading, important = false, aside, headingRef: givenRef, children }: PanelProps) {
  const headingId = useId();
  const madeRef = useRef<HTMLHeadingElement>(null);
  const headingRef = givenRef ?? madeRef;

  useEffect(() => {
    headingRef.current?.focus();
  }, [headingRef]);

  const title = (
    <h2 id={headingId} ref={headingRef} tabIndex={-1} className="panel-heading">
      {heading}
    </h2>
  );
  return (
    <section className={important ? 'panel panel-important' : 'panel'} aria-labelledby={headingId}>
      {aside ? (
        <div className="panel-top">
          {title}
          {aside}
        </div>
      ) : (
        title
      )}
      {children}
    </section>
  );
}
