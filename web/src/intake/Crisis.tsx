// Crisis help: the full panel (shown on the screen where a risk answer was given) and the
// footer on every member page. Lines come from the server (data, with source and date); the
// words around them from the dictionaries. Safe messaging: help, hope, no method talk.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { Button } from '../components/forms';
import { useI18n } from '../i18n';
import { smsHref, telHref } from './crisis';
import type { CrisisLine, CrisisResources } from './model';

/** Fills {placeholders} of a translated sentence with nodes (e.g. a phone link). */
function fill(template: string, vars: Record<string, ComponentChildren>): ComponentChildren[] {
  const out: ComponentChildren[] = [];
  let last = 0;
  for (const m of template.matchAll(/\{(\w+)\}/g)) {
    out.push(template.slice(last, m.index));
    out.push(m[1]! in vars ? vars[m[1]!] : m[0]);
    last = m.index! + m[0].length;
  }
  out.push(template.slice(last));
  return out;
}

function LineActions({ line, big }: { line: CrisisLine; big?: boolean }) {
  const { t } = useI18n();
  const cls = big ? 'button button--crisis' : 'crisis-link';
  return (
    <p class="crisis-line__actions">
      {line.phone && (
        <a class={cls} href={telHref(line.phone)}>
          {t('crisis.call', { number: line.phone })}
        </a>
      )}
      {line.text && (
        <a class={big ? 'button button--secondary' : 'crisis-link'} href={smsHref(line.text)}>
          {t('crisis.text', { number: line.text })}
        </a>
      )}
      {line.url && (
        <a class="crisis-link" href={line.url} target="_blank" rel="noopener noreferrer">
          {t('crisis.web', { name: line.name })}
        </a>
      )}
    </p>
  );
}

function Emergency({ number, keyName }: { number: string; keyName: 'footer.emergency' | 'crisis.emergency' }) {
  const { t } = useI18n();
  return (
    <>
      {fill(t(keyName), {
        number: (
          <a class="crisis-link crisis-link--strong" href={telHref(number)}>
            {number}
          </a>
        ),
      })}
    </>
  );
}

/** The full panel: lines, the emergency number, "not watched around the clock", hope. */
export function CrisisPanel({
  resources,
  onContinue,
  focus = true,
  headingLevel = 2,
}: {
  resources: CrisisResources | null;
  onContinue?: () => void;
  focus?: boolean;
  headingLevel?: 2 | 3;
}) {
  const { t } = useI18n();
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    if (focus && ref.current) {
      ref.current.focus();
      ref.current.scrollIntoView?.({ block: 'start' });
    }
  }, [focus]);
  const H = headingLevel === 2 ? 'h2' : 'h3';
  const Sub = headingLevel === 2 ? 'h3' : 'h4';
  return (
    <section class="crisis-panel" ref={ref} tabIndex={-1} aria-labelledby="crisis-panel-title" data-testid="crisis-panel">
      <H id="crisis-panel-title" class="crisis-panel__title">
        {t('crisis.title')}
      </H>
      <p>{t('crisis.intro')}</p>
      {resources && resources.lines.length > 0 && (
        <>
          <Sub class="crisis-panel__subtitle">{t('crisis.linesTitle')}</Sub>
          <ul class="crisis-lines">
            {resources.lines.map((l) => (
              <li class="crisis-line" key={l.name}>
                <p class="crisis-line__name">{l.name}</p>
                {l.how && <p>{l.how}</p>}
                <LineActions line={l} big />
              </li>
            ))}
          </ul>
        </>
      )}
      {resources?.note && <p>{resources.note}</p>}
      <p class="crisis-panel__emergency" data-testid="crisis-emergency">
        {resources?.emergency ? <Emergency number={resources.emergency} keyName="crisis.emergency" /> : t('footer.fallback')}
      </p>
      <p>
        <strong>{t('crisis.notWatched')}</strong>
      </p>
      <p>{t('crisis.hope')}</p>
      {onContinue && (
        <>
          <p>{t('crisis.carryOn')}</p>
          <Button variant="secondary" onClick={onContinue} data-testid="crisis-continue">
            {t('crisis.continue')}
          </Button>
        </>
      )}
    </section>
  );
}

/** The lines and the emergency number, without a heading (e.g. "If you need help before then"). */
export function CrisisInline({ resources }: { resources: CrisisResources | null }) {
  const { t } = useI18n();
  return (
    <div class="crisis-inline">
      {resources?.lines.map((l) => (
        <div key={l.name}>
          <p>
            <strong>{l.name}</strong>
            {l.how ? ` ${l.how}` : ''}
          </p>
          <LineActions line={l} />
        </div>
      ))}
      {resources?.note && <p>{resources.note}</p>}
      <p>{resources?.emergency ? <Emergency number={resources.emergency} keyName="footer.emergency" /> : t('footer.fallback')}</p>
    </div>
  );
}

/** The crisis line for the person's country, at the foot of every member page. */
export function CrisisFooter({ resources }: { resources: CrisisResources | null }) {
  const { t } = useI18n();
  return (
    <footer class="crisis-footer crisis-footer--app" id="crisis-help" data-testid="crisis-footer">
      <div class="crisis-footer__inner">
        <h2 class="crisis-footer__title" tabIndex={-1}>
          {t('footer.title')}
        </h2>
        {resources?.lines.map((l) => (
          <div class="crisis-footer__line" key={l.name}>
            <p>
              <strong>{l.name}</strong>
              {l.how ? ` ${l.how}` : ''}
            </p>
            <LineActions line={l} />
          </div>
        ))}
        {resources?.note && <p>{resources.note}</p>}
        <p>{resources?.emergency ? <Emergency number={resources.emergency} keyName="footer.emergency" /> : t('footer.fallback')}</p>
      </div>
    </footer>
  );
}
