import { describe, expect, it } from 'vitest';
import { dependentsOf, people, seniorsOf, services, teams } from '@/db/seed/data/org';
import { watchouts } from '@/db/seed/data/watchouts';

const HANDLE = /^[A-Za-z0-9][A-Za-z0-9._[\]-]*$/;

describe('demo organisation', () => {
  it('has about ten teams, thirty services and forty people, each unique', () => {
    expect(teams.length).toBeGreaterThanOrEqual(8);
    expect(services.length).toBeGreaterThanOrEqual(28);
    expect(people.length).toBeGreaterThanOrEqual(38);
    expect(new Set(teams.map((t) => t.slug)).size).toBe(teams.length);
    expect(new Set(services.map((s) => s.slug)).size).toBe(services.length);
    expect(new Set(people.map((p) => p.handle)).size).toBe(people.length);
    expect(new Set(people.map((p) => p.email).filter(Boolean)).size).toBe(people.filter((p) => p.email).length);
  });

  it('references only teams and services that exist', () => {
    const teamSlugs = new Set(teams.map((t) => t.slug));
    const slugs = new Set(services.map((s) => s.slug));
    for (const s of services) {
      expect(teamSlugs.has(s.team), s.slug).toBe(true);
      expect(s.repo).toMatch(/^acme\/[a-z0-9-]+$/);
      for (const d of s.dependsOn) expect(slugs.has(d), `${s.slug} -> ${d}`).toBe(true);
      expect(s.dependsOn).not.toContain(s.slug);
    }
    for (const p of people) if (p.team) expect(teamSlugs.has(p.team), p.handle).toBe(true);
  });

  it('has an acyclic dependency graph', () => {
    const state = new Map<string, 'visiting' | 'done'>();
    const bySlug = new Map(services.map((s) => [s.slug, s]));
    const visit = (slug: string, path: string[]): void => {
      if (state.get(slug) === 'done') return;
      if (state.get(slug) === 'visiting') throw new Error(`cycle: ${[...path, slug].join(' -> ')}`);
      state.set(slug, 'visiting');
      for (const d of bySlug.get(slug)?.dependsOn ?? []) visit(d, [...path, slug]);
      state.set(slug, 'done');
    };
    for (const s of services) expect(() => visit(s.slug, [])).not.toThrow();
  });

  it('makes config-service and dns-resolver central', () => {
    const cfg = dependentsOf('config-service');
    expect(cfg.length).toBeGreaterThanOrEqual(12);
    expect(cfg.filter((s) => s.tier === 1).length).toBeGreaterThanOrEqual(5);
    expect(dependentsOf('dns-resolver').length).toBeGreaterThan(cfg.length);
    expect(dependentsOf('billing-data').map((s) => s.slug)).toContain('cost-explorer');
  });

  it('has the roles, levels and bots the story needs', () => {
    for (const p of people) {
      expect(p.handle).toMatch(HANDLE);
      if (p.isBot) {
        expect(p.level).toBeNull();
        expect(p.email).toBeNull();
      } else {
        expect(p.level).toBeGreaterThanOrEqual(4);
        expect(p.level).toBeLessThanOrEqual(10);
        expect(p.email).toBe(`${p.handle}@acme-retail.example`);
      }
      if (p.role === 'senior') expect(p.level).toBeGreaterThanOrEqual(7);
      if (p.role === 'engineer' && !p.isBot) expect(p.level).toBeLessThanOrEqual(6);
    }
    expect(people.find((p) => p.handle === 'admin')).toMatchObject({ role: 'admin', level: 8, isBot: false });
    expect(people.filter((p) => p.role === 'director' && p.level === 9)).toHaveLength(3);
    expect(people.filter((p) => p.role === 'vp' && p.level === 10)).toHaveLength(2);
    const bots = people.filter((p) => p.isBot).length;
    expect(bots).toBeGreaterThanOrEqual(3);
    expect(bots).toBeLessThanOrEqual(4);
  });

  it('has three seniors in every team that owns a Tier-1 service, so two can sign off even when one is the author', () => {
    const tier1Teams = new Set(services.filter((s) => s.tier === 1).map((s) => s.team));
    for (const team of tier1Teams) expect(seniorsOf(team).length, team).toBeGreaterThanOrEqual(3);
  });

  it('has watch-outs by seniors on things that exist', () => {
    expect(watchouts.length).toBeGreaterThanOrEqual(15);
    const slugs = new Set(services.map((s) => s.slug));
    for (const w of watchouts) {
      const author = people.find((p) => p.handle === w.author);
      expect(author?.role, w.author).toBe('senior');
      if (w.scope === 'service') expect(slugs.has(w.service ?? ''), w.text).toBe(true);
      else expect(w.pattern).toBeTruthy();
      expect(w.text.length).toBeGreaterThan(40);
    }
    expect(new Set(watchouts.map((w) => w.scope))).toEqual(new Set(['service', 'path', 'config_key']));
  });
});
