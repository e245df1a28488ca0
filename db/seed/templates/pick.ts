// Chooses the template for a change of a given kind on a given service.
import type { ChangeKind } from '../types';
import { codeChange } from './code';
import { alertRule, dnsZone, flagRollout, globalDefaults, helmValues, kafkaTopic, runtimeKey } from './config';
import { cleanupScript, dbtModel, dockerfile, k8sManifest, schemaChange, tfAlarm, tfRemove, tfReplace, tfUpdate } from './infra';
import type { Ctx, Draft } from './kit';

export function draftFor(ctx: Ctx, kind: ChangeKind, opts: { dependencyBump?: boolean } = {}): Draft {
  const r = ctx.rng;
  switch (kind) {
    case 'code':
      return codeChange(ctx, opts);
    case 'config':
      if (ctx.slug === 'config-service') return r.chance(0.7) ? globalDefaults(ctx) : runtimeKey(ctx);
      if (ctx.slug === 'dns-resolver') return r.chance(0.7) ? dnsZone(ctx) : runtimeKey(ctx);
      if (ctx.slug === 'observability') return r.chance(0.7) ? alertRule(ctx) : helmValues(ctx);
      if (ctx.slug === 'events-bus') return r.chance(0.7) ? kafkaTopic(ctx) : runtimeKey(ctx);
      if (ctx.slug === 'k8s-platform') return helmValues(ctx);
      return r.weighted([[runtimeKey, 50], [helmValues, 25], [flagRollout, 25]] as const)(ctx);
    case 'infra': {
      if (ctx.slug === 'k8s-platform' && r.chance(0.12)) return cleanupScript(ctx);
      // Resources (clusters, databases, DNS) have no container image or deployment manifest of their own.
      const pick = ctx.profile.lang === 'hcl'
        ? r.weighted([[tfUpdate, 60], [tfAlarm, 22], [tfReplace, 10], [tfRemove, 8]] as const)
        : r.weighted([[tfUpdate, 44], [tfAlarm, 20], [k8sManifest, 12], [dockerfile, 12], [tfReplace, 7], [tfRemove, 5]] as const);
      return pick(ctx);
    }
    case 'schema':
      if (ctx.slug === 'data-warehouse' && r.chance(0.6)) return dbtModel(ctx);
      return schemaChange(ctx);
  }
}
