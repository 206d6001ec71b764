import type { AnchorHTMLAttributes, ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import { onLinkClick } from '../router';

export const APP_NAME = 'Soundcheck';

export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} – ${APP_NAME}`;
  }, [title]);
}

export function Link({ href, children, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  return (
    <a {...rest} href={href} onClick={(e) => onLinkClick(e as unknown as MouseEvent)}>
      {children}
    </a>
  );
}

/**
 * Prints the page with `cls` on <body>, for a print stylesheet that shows only one part of it (the
 * care plan, a Good Faith Estimate), and takes the class off again once printing is over.
 */
export function printWith(cls: string): void {
  const body = document.body;
  body.classList.add(cls);
  const done = () => {
    body.classList.remove(cls);
    window.removeEventListener('afterprint', done);
  };
  window.addEventListener('afterprint', done);
  try {
    window.print();
  } catch {
    done();
  }
}

/** A polite status message (success, information). */
export function Notice({ children, kind = 'success', testId }: { children: ComponentChildren; kind?: 'success' | 'info' | 'warning'; testId?: string }) {
  return (
    <div class={`notice notice--${kind}`} role="status" data-testid={testId}>
      {children}
    </div>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p class="loading" role="status">
      {label}
    </p>
  );
}

/** One message that survives a navigation, e.g. "User created" shown on the next page. */
let flash: string | null = null;
export function setFlash(message: string): void {
  flash = message;
}
export function takeFlash(): string | null {
  const f = flash;
  flash = null;
  return f;
}

const dateFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : dateFmt.format(new Date(t));
}

export function Time({ iso, empty = 'Never' }: { iso: string | null | undefined; empty?: string }) {
  if (!iso) return <span>{empty}</span>;
  return <time dateTime={iso}>{formatTime(iso)}</time>;
}
