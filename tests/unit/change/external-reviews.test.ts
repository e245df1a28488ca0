import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { ChangeDetail, ExternalReviewView } from '@/db/queries/change-detail';
import { excerpt, ExternalReviews, reviewRevisionText } from '@/components/change/external-reviews';

const review = (over: Partial<ExternalReviewView>): ExternalReviewView => ({
  id: 1,
  source: 'github',
  externalId: '1',
  reviewer: { login: 'octocat', person: null },
  state: 'commented',
  body: '',
  commitId: null,
  revision: 2,
  stale: false,
  submittedAt: '2026-03-05T10:00:00.000Z',
  ...over,
});

const revisions = [1, 2].map((number) => ({ number, current: number === 2 })) as ChangeDetail['revisions'];

describe('GitHub reviews on the change page', () => {
  it('says which revision a review was on, and when it is stale', () => {
    expect(reviewRevisionText(review({ revision: 2, commitId: 'a'.repeat(40) }), 2)).toBe('on revision 2 (commit aaaaaaa), the current one');
    expect(reviewRevisionText(review({ revision: 1, stale: true, commitId: 'b'.repeat(40) }), 2)).toBe('on revision 1 (commit bbbbbbb) — stale: the current revision is 2');
    expect(reviewRevisionText(review({ revision: null, stale: true, commitId: 'c'.repeat(40) }), 2)).toBe('on commit ccccccc — stale: not a revision Countersign has');
    expect(reviewRevisionText(review({ revision: null, stale: true }), 2)).toBe('revision unknown');
  });

  it('shortens a long body to one paragraph', () => {
    expect(excerpt('  Looks good.\n\n  One nit:   rename it. ')).toBe('Looks good. One nit: rename it.');
    const long = excerpt('x'.repeat(1000));
    expect(long).toHaveLength(280);
    expect(long.endsWith('…')).toBe(true);
  });

  it('renders each review with its reviewer, state, revision and body, labelled as not counting toward sign-off', () => {
    const html = renderToStaticMarkup(
      createElement(ExternalReviews, {
        change: {
          revisions,
          externalReviews: [
            review({ id: 2, state: 'approved', reviewer: { login: 'mrossi-acme', person: { handle: 'mrossi', name: 'Marco Rossi', isBot: false, level: 8, team: 'checkout' } }, body: 'LGTM', commitId: 'a'.repeat(40) }),
            review({ id: 1, state: 'changes_requested', revision: 1, stale: true, body: 'Please add a test.' }),
          ],
        } as ChangeDetail,
      }),
    );
    expect(html).toContain('do not count toward Countersign sign-off');
    expect(html).toContain('Approved on GitHub');
    expect(html).toContain('Marco Rossi');
    expect(html).toContain('@mrossi-acme');
    expect(html).toContain('Changes requested');
    expect(html).toContain('@octocat');
    expect(html).toContain('stale: the current revision is 2');
    expect(html).toMatch(/data-stale="true"[^>]*>[\s\S]*Please add a test\./);
    expect(html.match(/>stale</g)).toHaveLength(1);
  });

  it('says so when there is no review', () => {
    expect(renderToStaticMarkup(createElement(ExternalReviews, { change: { revisions, externalReviews: [] } as unknown as ChangeDetail }))).toContain('No review on GitHub yet.');
  });
});
