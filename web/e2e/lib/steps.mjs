// A browser walk as a chain of node:test steps: once a step fails, the later ones say which
// step broke instead of failing for a confusing second reason, and the failing page is
// screenshotted (test-results/) for the person reading the CI log.
import { test } from 'node:test';
import { failureScreenshot } from './browser.mjs';

/**
 * `prefix` names the screenshots; `currentPage()` is the page to photograph on failure.
 * Returns `step(name, fn)` and `broken()` (the failed step's name, or null).
 */
export function makeSteps(prefix, currentPage) {
  let broken = null;
  const step = (name, fn) =>
    test(name, async () => {
      if (broken) throw new Error(`cannot run: the earlier step "${broken}" failed`);
      try {
        await fn();
      } catch (e) {
        broken = name;
        const page = currentPage();
        if (page) await failureScreenshot(page, `${prefix}-${name}`.replace(/[^a-z0-9]+/gi, '-').toLowerCase());
        throw e;
      }
    });
  return { step, broken: () => broken };
}
