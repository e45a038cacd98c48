import { describe, expect, it } from 'vitest';
import { budgetViolations, pageType, PAGE_BUDGET_BYTES, type PageWeight } from '../src/cli/lib/page-weights.ts';

const page = (path: string, weights: Partial<PageWeight> = {}): PageWeight => ({ path, type: pageType(path), htmlGzip: 5_000, cssGzip: 2_500, jsBytes: 0, jsGzip: 0, ...weights });

describe('the page budget of npm run bench', () => {
  it('passes pages within 30 kB HTML+CSS gzip, and scripts only on form and search pages', () => {
    expect(budgetViolations([page('/'), page('/avv/accept/', { jsBytes: 2_800 }), page('/en/verify/', { jsBytes: 7_000 }), page('/search/', { jsBytes: 9_000 })])).toEqual([]);
  });

  it('names a page over the budget, counting HTML and CSS together', () => {
    expect(budgetViolations([page('/avv/', { htmlGzip: PAGE_BUDGET_BYTES - 2_000, cssGzip: 2_001 }), page('/toms/', { htmlGzip: PAGE_BUDGET_BYTES - 2_000, cssGzip: 2_000 })])).toEqual([
      `/avv/: ${PAGE_BUDGET_BYTES + 1} B HTML+CSS gzip, over ${PAGE_BUDGET_BYTES}`,
    ]);
  });

  it('names a content page that runs JavaScript', () => {
    expect(budgetViolations([page('/subprocessors/', { jsBytes: 120 })])).toEqual(['/subprocessors/: runs 120 B of JS but has no form or search that needs it']);
  });
});
