import type { Page } from 'playwright-core';
import { launchChromium, openPage } from '../../test/e2e/browser';
import { signIn } from '../../test/e2e/flows';
import { seededUser, startChaosgate } from '../../test/e2e/harness';
import { syntheticTopology } from './synthetic';

export interface BrowserSample {
  nodes: number;
  /** Median ms of the stable layout (dagre) alone. */
  layoutMs: number;
  /** Median ms from the start of the layout to the nodes being rendered and measured by Vue Flow. */
  layoutAndRenderMs: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

/** Reads the marks the canvas sets (`topology:*`), once the first render happened. */
async function readMarks(page: Page): Promise<{ layout: number; total: number }> {
  // Polled with plain evaluations: the app's CSP forbids the `eval` that waitForFunction uses.
  const deadline = Date.now() + 180_000;
  const ready = `['topology:layout-start', 'topology:layout-end', 'topology:rendered']
    .every((name) => performance.getEntriesByName(name).length > 0)`;
  while (!(await page.evaluate<boolean>(ready))) {
    if (Date.now() > deadline) throw new Error('the map did not render within 180 s');
    await page.waitForTimeout(50);
  }
  return page.evaluate<{ layout: number; total: number }>(`(() => {
    const at = (name) => performance.getEntriesByName(name)[0].startTime;
    return {
      layout: at('topology:layout-end') - at('topology:layout-start'),
      total: at('topology:rendered') - at('topology:layout-start'),
    };
  })()`);
}

/**
 * Times the SPA's layout and first render in Chromium for maps of each size. The map comes from
 * a synthetic answer to `GET /topology` (the browser's work is the same whatever the cluster);
 * the stream is answered empty.
 */
export async function runBrowserBench(
  kubeconfig: string,
  sizes: number[],
  repeats = 3,
  log: (line: string) => void = () => {},
): Promise<BrowserSample[]> {
  const app = await startChaosgate({ kubeconfig });
  const browser = await launchChromium();
  const samples: BrowserSample[] = [];
  try {
    const { page, context } = await openPage(browser, app.baseUrl);
    await signIn(page, seededUser('dev'));
    let current = syntheticTopology(sizes[0] ?? 100);
    await page.route('**/api/envs/*/topology?*', (route) =>
      route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(current) }),
    );
    await page.route('**/api/envs/*/topology/stream?*', (route) =>
      route.fulfill({ status: 200, contentType: 'text/event-stream', body: ': bench\n\n' }),
    );
    for (const size of sizes) {
      current = syntheticTopology(size);
      const layout: number[] = [];
      const total: number[] = [];
      for (let i = 0; i < repeats; i += 1) {
        await page.goto('/topology');
        const marks = await readMarks(page);
        layout.push(marks.layout);
        total.push(marks.total);
      }
      const sample = { nodes: size, layoutMs: median(layout), layoutAndRenderMs: median(total) };
      log(
        `${size} nodes: layout ${sample.layoutMs.toFixed(0)} ms, layout + first render ${sample.layoutAndRenderMs.toFixed(0)} ms`,
      );
      samples.push(sample);
    }
    await context.close();
  } finally {
    await browser.close();
    await app.stop();
  }
  return samples;
}
