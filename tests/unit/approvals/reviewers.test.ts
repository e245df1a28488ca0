import { describe, expect, it } from 'vitest';
import { suggestReviewers, type ReviewerCandidate } from '@/lib/approvals/reviewers';
import { DEFAULT_APPROVAL_POLICY } from '@/lib/policy/approvals';

let id = 0;
const person = (handle: string, team: string | null, over: Partial<ReviewerCandidate> = {}): ReviewerCandidate => ({
  id: ++id, handle, name: handle.toUpperCase(), level: 7, role: 'senior', team, isBot: false, deactivated: false, ...over,
});

describe('suggestReviewers', () => {
  const author = person('author', 'checkout');
  const coauthor = person('coauthor', 'checkout');
  const decided = person('decided', 'checkout');
  const owner = person('owner', 'checkout');
  const director = person('director', 'checkout', { role: 'director', level: 9 });
  const blast = person('blast', 'payments');
  const junior = person('junior', 'checkout', { level: 6 });
  const engineer = person('engineer', 'checkout', { role: 'engineer', level: 8 });
  const bot = person('bot', 'checkout', { isBot: true });
  const gone = person('gone', 'checkout', { deactivated: true });
  const unrelated = person('unrelated', 'discovery');
  const admin = person('admin', 'checkout', { role: 'admin', level: 10 });
  const submitter = person('submitter', 'checkout');
  const base = {
    candidates: [author, submitter, coauthor, decided, owner, director, blast, junior, engineer, bot, gone, unrelated, admin],
    touched: [{ slug: 'checkout', team: 'checkout' }],
    tier1InBlast: [{ slug: 'payments', team: 'payments' }],
    authorId: author.id,
    submitterId: submitter.id,
    coauthorIds: [coauthor.id],
    decidedIds: [decided.id],
    minLevel: 7,
    policy: DEFAULT_APPROVAL_POLICY,
  };

  it('suggests approvers of the owning teams first, then of Tier-1 services in the blast radius', () => {
    const r = suggestReviewers(base);
    expect(r.map((x) => [x.handle, x.kind, x.services])).toEqual([
      ['owner', 'owner', ['checkout']],
      ['director', 'owner', ['checkout']],
      ['blast', 'blast', ['payments']],
    ]);
  });

  it('leaves out the author, the submitter, co-authors, people who decided, bots, the deactivated, non-approvers and those below the level', () => {
    const handles = suggestReviewers(base).map((x) => x.handle);
    for (const h of ['author', 'submitter', 'coauthor', 'decided', 'bot', 'gone', 'engineer', 'admin', 'junior', 'unrelated']) expect(handles).not.toContain(h);
    // A lower requirement lets the L6 in.
    expect(suggestReviewers({ ...base, minLevel: 6 }).map((x) => x.handle)).toContain('junior');
    expect(suggestReviewers({ ...base, minLevel: 8 }).map((x) => x.handle)).toEqual(['director']);
  });

  it('suggests the submitter when someone else submitted nothing (no submitter recorded)', () => {
    expect(suggestReviewers({ ...base, submitterId: null }).map((x) => x.handle)).toContain('submitter');
  });

  it('suggests nobody for an unmapped change', () => {
    expect(suggestReviewers({ ...base, touched: [], tier1InBlast: [] })).toEqual([]);
  });
});
