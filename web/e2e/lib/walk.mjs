// What every browser walk opens and must close again: a page per browser context (kept in
// `contexts`), and at the end the contexts, the browser, the server (its data kept when a step
// broke, for the person reading the log), the SMTP sink and the scratch folder.
import { newPage } from './browser.mjs';

/** A fresh page in its own context (`options` go to the context); the context joins `contexts`. */
export async function openPage(browser, contexts, options = {}) {
  const { context, page } = await newPage(browser, options);
  contexts.push(context);
  return page;
}

/** Closes what the walk started; `broken` is the failed step's name (or null). Any may be missing. */
export async function tearDown({ contexts = [], browser = null, server = null, smtp = null, scratch = null }, broken) {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close().catch(() => {});
  await server?.stop({ keepData: !!broken });
  if (broken && server) console.error(`e2e: data dir kept at ${server.dataDir}; server log in test-results/server.log`);
  await smtp?.close();
  scratch?.cleanup();
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
