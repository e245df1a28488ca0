import { describe, expect, it } from 'vitest';
import { detectDestructive, parseTerraformPlan, parseUnifiedDiff } from '@/lib/risk';
import type { DiffFile, RiskFinding } from '@/lib/risk/types';
import { readDiffFixture, readPlanFixture } from './risk-input';

/** A one-file diff: `lines` are raw hunk lines (' ', '+', '-' prefixed). */
function diffOf(path: string, lines: string[], status: 'modified' | 'added' = 'modified'): DiffFile[] {
  const oldCount = lines.filter((l) => !l.startsWith('+')).length;
  const newCount = lines.filter((l) => !l.startsWith('-')).length;
  const header = status === 'added'
    ? [`diff --git a/${path} b/${path}`, 'new file mode 100644', '--- /dev/null', `+++ b/${path}`, `@@ -0,0 +1,${newCount} @@`]
    : [`diff --git a/${path} b/${path}`, `--- a/${path}`, `+++ b/${path}`, `@@ -1,${oldCount} +1,${newCount} @@`];
  return parseUnifiedDiff([...header, ...lines].join('\n'));
}

const keys = (findings: RiskFinding[]) => findings.map((f) => `${f.severity}:${f.key}@${f.line ?? '-'}`);

describe('Terraform plan findings', () => {
  it('reports replace and delete actions by resource address, replaces first', () => {
    const plan = parseTerraformPlan(readPlanFixture('crafted-ecs-cluster-replace.json'));
    const findings = detectDestructive([], plan);
    expect(findings.map((f) => [f.key, f.path])).toEqual([
      ['tf_replace', 'aws_ecs_cluster.prod'],
      ['tf_replace', 'module.network.aws_security_group.ecs_tasks'],
      ['tf_delete', 'aws_iam_role.legacy_deployer'],
    ]);
    expect(findings[0]!.message).toBe('Terraform plan deletes and recreates `aws_ecs_cluster.prod` (replace)');
    expect(findings[2]!.message).toBe('Terraform plan deletes `aws_iam_role.legacy_deployer`');
    expect(findings.every((f) => f.severity === 'destructive')).toBe(true);
  });

  it('reports nothing for an update-only plan', () => {
    expect(detectDestructive([], parseTerraformPlan(readPlanFixture('crafted-config-update-only.json')))).toEqual([]);
  });
});

describe('SQL', () => {
  it('flags DROP, ALTER … DROP COLUMN, unbounded DELETE/UPDATE and TRUNCATE in a migration, across lines', () => {
    const files = parseUnifiedDiff(readDiffFixture('crafted-sql-destructive-migration.diff'));
    const findings = detectDestructive(files, null);
    expect(keys(findings)).toEqual([
      'destructive:sql_drop_table@4',
      'destructive:sql_drop_column@7',
      'destructive:sql_unbounded_delete@12',
      'destructive:sql_unbounded_update@14',
      'destructive:sql_truncate@15',
      'destructive:sql_unbounded_delete@2',
    ]);
    expect(findings[1]!.message).toBe('Drops column `promised_delivery_at` from table `orders` and its data');
    const lines = files[0]!.hunks[0]!.lines;
    // The bounded DELETE (WHERE on the next line) is not flagged.
    expect(lines[8]!.content).toBe('DELETE FROM carts');
    expect(lines[8]!.flags).toBeUndefined();
    expect(lines[3]!.flags).toEqual([{ key: 'sql_drop_table', severity: 'destructive', message: 'Drops table `legacy_order_events` and all its data' }]);
  });

  it('flags a deleted WHERE line that leaves a DELETE unbounded', () => {
    const files = diffOf('db/jobs/purge.sql', [' DELETE FROM audit_log', '-  WHERE created_at < now() - interval \'1 year\'', ' ;']);
    const findings = detectDestructive(files, null);
    expect(keys(findings)).toEqual(['destructive:removed_guard@2']);
    expect(findings[0]!.message).toContain('Removes the WHERE clause: deletes every row of `audit_log`');
  });

  it('flags SQL embedded in code, and leaves bounded statements alone', () => {
    const files = diffOf('src/jobs/cleanup.ts', [
      '+await db.execute(sql`DELETE FROM sessions`);',
      '+await db.execute(sql`',
      '+  DELETE FROM carts',
      '+  WHERE updated_at < now() - interval \'30 days\'',
      '+`);',
      '+await pool.query("UPDATE users SET verified = false");',
      '+await pool.query("DROP TABLE IF EXISTS tmp_orders");',
      '+// We never drop table backups by hand.',
    ], 'added');
    expect(keys(detectDestructive(files, null))).toEqual([
      'destructive:sql_unbounded_delete@1',
      'destructive:sql_unbounded_update@6',
      'destructive:sql_drop_table@7',
    ]);
  });

  it('reads SQL string literals with quotes inside, concatenation and multi-line strings', () => {
    const files = diffOf('src/main/kotlin/VoucherRepository.kt', [
      '+    fun expire(now: Instant): Int = jdbc.update(',
      `+        "UPDATE vouchers SET status = 'expired' WHERE id IN " +`,
      '+            "(SELECT id FROM vouchers WHERE valid_until < ? LIMIT 5000)", now)',
      '+    fun purge(): Int = jdbc.update("DELETE FROM vouchers " +',
      `+        "WHERE status = 'expired'")`,
      `+    fun wipe(): Int = jdbc.update("UPDATE vouchers SET status = 'void'")`,
      '+    val reset = """',
      '+        DELETE FROM voucher_redemptions',
      '+    """',
    ], 'added');
    expect(keys(detectDestructive(files, null))).toEqual(['destructive:sql_unbounded_update@6', 'destructive:sql_unbounded_delete@8']);
  });

  it('flags ORM migrations and unbounded ORM deletes', () => {
    const files = diffOf('db/migrate/20260301_drop_legacy.rb', [
      '+class DropLegacy < ActiveRecord::Migration[7.1]',
      '+  def change',
      '+    drop_table :legacy_orders',
      '+    remove_column :users, :legacy_id',
      '+    remove_index :orders, :created_at',
      '+    Order.delete_all',
      '+  end',
      '+end',
    ], 'added');
    expect(keys(detectDestructive(files, null))).toEqual([
      'destructive:sql_drop_table@3',
      'destructive:sql_drop_column@4',
      'destructive:unbounded_delete@6',
      'risky:sql_drop_index@5',
    ]);
  });

  it('downgrades drops inside a down migration to risky', () => {
    const files = diffOf('migrations/0007_add_refunds.py', [
      '+def upgrade():',
      '+    op.create_table("refunds", sa.Column("id", sa.Integer))',
      '+',
      '+def downgrade():',
      '+    op.drop_table("refunds")',
    ], 'added');
    const findings = detectDestructive(files, null);
    expect(keys(findings)).toEqual(['risky:sql_drop_table@5']);
    expect(findings[0]!.message).toContain('down/rollback migration');
  });
});

describe('operations commands', () => {
  it('flags kubectl delete, helm uninstall, rm -rf, terraform destroy and a removed --dry-run', () => {
    const files = parseUnifiedDiff(readDiffFixture('crafted-ops-teardown.diff'));
    const findings = detectDestructive(files, null);
    expect(keys(findings)).toEqual([
      'destructive:kubectl_delete@14',
      'destructive:helm_uninstall@15',
      'destructive:rm_rf@16',
      'destructive:terraform_destroy@4',
      'risky:removed_dry_run@13',
      'risky:auto_approve@4',
    ]);
    expect(findings[0]!.message).toBe('Runs `kubectl delete namespace "$NAMESPACE" --wait=true`');
    // The removed dry-run is flagged on the deleted line (old line 13), not on an added one.
    const deleted = files[0]!.hunks[0]!.lines.find((l) => l.type === 'del' && l.content.includes('--dry-run'));
    expect(deleted?.flags?.[0]?.key).toBe('removed_dry_run');
  });

  it('recognises the variants and ignores look-alikes', () => {
    const files = diffOf('ops/run.sh', [
      '+rm -fr "$BUILD_DIR"',
      '+rm -r -f /tmp/x',
      '+kubectl -n payments delete deployment payments-api',
      '+helm delete checkout --purge',
      '+terraform apply -destroy -var-file=prod.tfvars',
      '+aws s3 rb s3://acme-order-exports --force',
      '+aws rds delete-db-instance --db-instance-identifier orders-prod',
      '+redis-cli -h cache FLUSHALL',
      '+git push --force origin main',
      '+rm -f build.log',
      '+kubectl get pods --field-selector=status.phase!=Running',
      '+echo "never run helm uninstall by hand"',
    ], 'added');
    expect(keys(detectDestructive(files, null))).toEqual([
      'destructive:rm_rf@1',
      'destructive:rm_rf@2',
      'destructive:kubectl_delete@3',
      'destructive:helm_uninstall@4',
      'destructive:terraform_destroy@5',
      'destructive:cloud_delete@6',
      'destructive:cloud_delete@7',
      'destructive:cache_flush@8',
      'destructive:helm_uninstall@12',
      'risky:force_push@9',
    ]);
  });

  it('does not flag context lines, only added ones', () => {
    const files = parseUnifiedDiff(readDiffFixture('git-rebase-interactive-rename-delete.patch'));
    const findings = detectDestructive(files, null);
    // The only finding is the deleted script (a file-level finding).
    expect(findings.map((f) => [f.key, f.path, f.severity])).toEqual([['deleted_file', 'git-rebase--interactive.sh', 'risky']]);
    expect(files[3]!.flags?.[0]?.message).toBe('Deletes `git-rebase--interactive.sh` (84 lines)');
  });

  it('ignores documentation files', () => {
    const files = diffOf('docs/runbook.md', ['+To reset the cluster run `kubectl delete namespace checkout` and `rm -rf /data`.']);
    expect(detectDestructive(files, null)).toEqual([]);
  });
});

describe('Terraform sources and removed guards', () => {
  it('flags removed protection, removed resources and deleted .tf files', () => {
    const files = parseUnifiedDiff(readDiffFixture('crafted-terraform-guards.diff'));
    const findings = detectDestructive(files, null);
    expect(keys(findings)).toEqual([
      'destructive:tf_resource_removed@13',
      'destructive:deleted_file@-',
      'risky:removed_guard@5',
      'risky:force_destroy@6',
      'risky:removed_guard@9',
    ]);
    expect(findings[0]!.message).toBe('Removes Terraform resource `aws_db_instance.orders_replica`: it is destroyed on the next apply');
    expect(findings[1]!.message).toContain('infra/envs/prod/cache.tf');
    expect(findings[4]!.message).toBe('Removes `prevent_destroy`: the resource can now be destroyed');
  });

  it('counts a resource removed in the source once when the plan already deletes it, but still flags the line', () => {
    const files = diffOf('infra/db.tf', ['-resource "aws_rds_cluster_parameter_group" "pg15" {', '-  family = "aurora-postgresql15"', '-}']);
    const plan = parseTerraformPlan({
      format_version: '1.2',
      resource_changes: [{ address: 'aws_rds_cluster_parameter_group.pg15', type: 'aws_rds_cluster_parameter_group', name: 'pg15', change: { actions: ['delete'] } }],
    });
    expect(keys(detectDestructive(files, plan))).toEqual(['destructive:tf_delete@-']);
    expect(files[0]!.hunks[0]!.lines[0]!.flags?.[0]?.key).toBe('tf_resource_removed');
  });

  it('does not report a resource renamed with a moved block', () => {
    const files = diffOf('infra/main.tf', [
      '-resource "aws_s3_bucket" "logs" {',
      '+resource "aws_s3_bucket" "access_logs" {',
      '   bucket = "acme-logs"',
      ' }',
      '+moved {',
      '+  from = aws_s3_bucket.logs',
      '+  to   = aws_s3_bucket.access_logs',
      '+}',
    ]);
    expect(detectDestructive(files, null)).toEqual([]);
  });

  it('flags removed checks and assertions that are not added back', () => {
    const files = parseUnifiedDiff(readDiffFixture('crafted-removed-guards.diff'));
    const findings = detectDestructive(files, null);
    expect(keys(findings)).toEqual(['risky:removed_guard@13', 'risky:removed_guard@16', 'risky:removed_guard@18', 'risky:removed_guard@22']);
    expect(findings[3]!.message).toMatch(/^Removes the assertion `await expect\(applyDiscount/);
    expect(findings[0]!.message).toMatch(/^Removes the check `if \(!discount/);
  });

  it('does not flag a check that is moved or reformatted', () => {
    const files = diffOf('src/auth.ts', [
      '-  if (!session) {',
      '-    throw unauthorized();',
      '-  }',
      '+  const user = await loadUser(req);',
      '+  } else if (!session) {',
      '+    throw unauthorized();',
      '+  }',
    ]);
    expect(detectDestructive(files, null)).toEqual([]);
  });

  it('flags a removed GitHub Actions `if:` condition and `validate(` call', () => {
    const files = diffOf('.github/workflows/deploy.yml', [
      '   deploy:',
      "-    if: github.ref == 'refs/heads/main' && needs.plan.outputs.approved == 'true'",
      '     runs-on: ubuntu-latest',
    ]);
    expect(keys(detectDestructive(files, null))).toEqual(['risky:removed_guard@2']);
    const code = diffOf('src/api/orders.py', ['-    validate_order(payload)', '     order = Order(**payload)']);
    expect(keys(detectDestructive(code, null))).toEqual(['risky:removed_guard@1']);
  });
});

describe('lowered limits', () => {
  it('compares deleted and added values of the same key, with units', () => {
    const files = parseUnifiedDiff(readDiffFixture('crafted-config-limits.diff'));
    const findings = detectDestructive(files, null);
    expect(keys(findings)).toEqual([
      'destructive:scaled_to_zero@7',
      'risky:lowered_limit@5',
      'risky:lowered_limit@8',
      'risky:lowered_limit@9',
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      'Scales `replicas` from 3 to 0: nothing is left running',
      'Lowers `replicaCount` from 6 to 2',
      'Lowers `timeout` from 30s to 5s',
      'Lowers `retries` from 3 to 0',
    ]);
  });

  it('handles Terraform, env files, JSON and code constants; ignores raises and unrelated keys', () => {
    const tf = diffOf('infra/asg.tf', ['-  min_size = 3', '+  min_size = 1', '-  max_size = 10', '+  max_size = 20']);
    expect(keys(detectDestructive(tf, null))).toEqual(['risky:lowered_limit@1']);
    const env = diffOf('.env.production', ['-HTTP_TIMEOUT_MS=30000', '+HTTP_TIMEOUT_MS=2000', '-LOG_LEVEL=3', '+LOG_LEVEL=1']);
    expect(keys(detectDestructive(env, null))).toEqual(['risky:lowered_limit@1']);
    const json = diffOf('config/pool.json', ['-  "maxConnections": 100,', '+  "maxConnections": 10,']);
    expect(keys(detectDestructive(json, null))).toEqual(['risky:lowered_limit@1']);
    const code = diffOf('src/client.ts', ['-export const REQUEST_TIMEOUT = 10_000;', '-const MAX_RETRIES = 5;', '+const MAX_RETRIES = 1;']);
    expect(keys(detectDestructive(code, null))).toEqual(['risky:lowered_limit@1']);
    const minutes = diffOf('k8s/job.yaml', ['-  activeDeadlineSeconds: 3600', '+  activeDeadlineSeconds: 60', '-  timeout: 1h', '+  timeout: 45m']);
    expect(keys(detectDestructive(minutes, null))).toEqual(['risky:lowered_limit@1', 'risky:lowered_limit@2']);
  });

  it('reads typed constants and duration wrappers (Java, Kotlin)', () => {
    const files = diffOf('src/main/java/ReservationStep.java', [
      '-    private static final Duration RESERVATION_TIMEOUT = Duration.ofMillis(1500);',
      '-    private static final int MAX_ATTEMPTS = 2;',
      '+    private static final Duration RESERVATION_TIMEOUT = Duration.ofMillis(400);',
      '+    private static final int MAX_ATTEMPTS = 1;',
      '-    val pollTimeout = Duration.ofSeconds(30)',
      '+    val pollTimeout = Duration.ofMillis(30_000)',
    ]);
    expect(detectDestructive(files, null).map((f) => f.message)).toEqual([
      'Lowers `RESERVATION_TIMEOUT` from Duration.ofMillis(1500) to Duration.ofMillis(400)',
      'Lowers `MAX_ATTEMPTS` from 2 to 1',
    ]);
  });

  it('treats a raised maxUnavailable as the risky direction', () => {
    const files = diffOf('k8s/deploy.yaml', ['-      maxUnavailable: 1', '+      maxUnavailable: 5']);
    expect(detectDestructive(files, null)[0]?.message).toBe('Raises `maxUnavailable` from 1 to 5');
  });
});

describe('robustness', () => {
  it('stays fast on adversarial long lines (no regex backtracking blow-up)', () => {
    for (const [path, unit] of [['x.sql', 'alter table x '], ['x.sh', 'kubectl '], ['x.ts', '"delete from x ']] as const) {
      const line = `+${unit.repeat(400)}`;
      const lines = Array.from({ length: 400 }, () => line);
      const text = `--- a/${path}\n+++ b/${path}\n@@ -0,0 +1,${lines.length} @@\n${lines.join('\n')}\n`;
      const started = performance.now();
      detectDestructive(parseUnifiedDiff(text), null);
      expect(performance.now() - started, path).toBeLessThan(2000);
    }
  });
});

describe('annotation', () => {
  it('is idempotent and can be turned off', () => {
    const files = parseUnifiedDiff(readDiffFixture('crafted-ops-teardown.diff'));
    const pure = detectDestructive(files, null, { annotate: false });
    expect(files.flatMap((f) => f.hunks.flatMap((h) => h.lines)).some((l) => l.flags)).toBe(false);
    const first = detectDestructive(files, null);
    const second = detectDestructive(files, null);
    expect(second).toEqual(first);
    expect(pure).toEqual(first);
    const flagged = files.flatMap((f) => f.hunks.flatMap((h) => h.lines)).filter((l) => l.flags);
    expect(flagged).toHaveLength(5);
    expect(flagged.every((l) => l.flags!.length === 1 || l.content.includes('terraform'))).toBe(true);
  });

  it('finds nothing in ordinary real patches', () => {
    for (const name of ['linux-mm-slabinfo-rename.patch', 'ltp-close-range-new-files.patch', 'omnom-go-mod-bump.patch', 'xar-empty-acl.patch', 'qemu-acpi-binary-blobs.patch', 'crafted-readme-typo.diff']) {
      expect(detectDestructive(parseUnifiedDiff(readDiffFixture(name)), null), name).toEqual([]);
    }
  });
});
