/**
 * The EOS panel's width in the right sidebar, set as a user does: by dragging
 * the split handle at its left edge.
 */
import { expect } from '@jupyterlab/galata';
import type { Page } from '@playwright/test';

/** Drag the handle left of the EOS panel until the panel is `width` pixels wide. */
export async function setEosPanelWidth(page: Page, width: number): Promise<void> {
  const panel = page.locator('#eos-browser');
  await expect(panel).toBeVisible();
  await expect
    .poll(async () => {
      const box = (await panel.boundingBox())!;
      if (Math.abs(box.width - width) >= 2) {
        // The handle of the main split panel nearest the panel's left edge.
        const handle = await page.evaluate(left => {
          const handles = [...document.querySelectorAll('#jp-main-split-panel > .lm-SplitPanel-handle')]
            .map(h => h.getBoundingClientRect())
            .filter(r => r.width > 0);
          const h = handles.sort((a, b) => Math.abs(a.right - left) - Math.abs(b.right - left))[0];
          return { x: h.left + h.width / 2, y: h.top + h.height / 2 };
        }, box.x);
        await page.mouse.move(handle.x, handle.y);
        await page.mouse.down();
        await page.mouse.move(handle.x - (width - box.width), handle.y, { steps: 4 });
        await page.mouse.up();
      }
      return Math.abs((await panel.boundingBox())!.width - width) < 2;
    })
    .toBe(true);
}
