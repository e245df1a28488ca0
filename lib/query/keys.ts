// Every React Query key, from one place, so invalidation never misses a spelling.
export const queryKeys = {
  queue: (filters: Record<string, string | undefined>) => ['queue', filters] as const,
  queueAll: ['queue'] as const,
  change: (id: string | number) => ['change', String(id)] as const,
  audit: (filters: Record<string, string | undefined>) => ['audit', filters] as const,
  auditVerify: ['audit', 'verify'] as const,
  report: (isoWeek: string) => ['report', isoWeek] as const,
  tokens: ['admin', 'tokens'] as const,
  signOff: (changeId: string | number) => ['change', String(changeId), 'sign-off'] as const,
  breakGlass: (changeId: string | number) => ['change', String(changeId), 'break-glass'] as const,
  people: ['admin', 'people'] as const,
};
