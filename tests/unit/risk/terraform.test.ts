import { describe, expect, it } from 'vitest';
import { parseTerraformPlan, RiskInputError } from '@/lib/risk';
import { readPlanFixture } from './risk-input';

function expectInvalid(plan: unknown, fragment: RegExp): void {
  let error: unknown;
  try {
    parseTerraformPlan(plan);
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(RiskInputError);
  expect((error as RiskInputError).code).toBe('invalid_plan');
  expect((error as RiskInputError).message).toMatch(fragment);
}

const change = (address: string, actions: unknown, extra: Record<string, unknown> = {}) => {
  const [type, name] = address.split('.').slice(-2);
  return { address, mode: 'managed', type, name, provider_name: 'registry.terraform.io/hashicorp/aws', change: { actions, before: {}, after: {} }, ...extra };
};

describe('parseTerraformPlan on real `terraform show -json` output', () => {
  it('reads a replace (["delete","create"]) from Terraform\'s own test data', () => {
    const plan = parseTerraformPlan(readPlanFixture('terraform-testdata-requires-replace.json'));
    expect(plan.formatVersion).toBe('0.2');
    expect(plan.resources).toEqual([
      { address: 'test_instance.test', type: 'test_instance', name: 'test', actions: ['delete', 'create'], action: 'replace', destructive: true },
    ]);
    expect(plan.counts).toEqual({ create: 0, update: 0, delete: 0, replace: 1, read: 0, 'no-op': 0 });
  });

  it('reads an update and a delete from Terraform\'s own test data', () => {
    const plan = parseTerraformPlan(JSON.parse(readPlanFixture('terraform-testdata-basic-delete.json')));
    expect(plan.resources.map((r) => [r.address, r.action, r.destructive])).toEqual([
      ['test_instance.test', 'update', false],
      ['test_instance.test-delete', 'delete', true],
    ]);
  });

  it('reads module addresses, create_before_destroy replaces, data reads and no-ops (AWS-shaped plan)', () => {
    const plan = parseTerraformPlan(readPlanFixture('crafted-ecs-cluster-replace.json'));
    expect(plan.formatVersion).toBe('1.2');
    expect(plan.resources.map((r) => [r.address, r.action])).toEqual([
      ['aws_ecs_cluster.prod', 'replace'],
      ['aws_ecs_service.checkout', 'update'],
      ['module.network.aws_security_group.ecs_tasks', 'replace'],
      ['aws_iam_role.legacy_deployer', 'delete'],
      ['aws_cloudwatch_log_group.ecs', 'no-op'],
      ['data.aws_caller_identity.current', 'read'],
    ]);
    expect(plan.resources[2]!.actions).toEqual(['create', 'delete']);
    expect(plan.counts).toMatchObject({ replace: 2, delete: 1, update: 1, read: 1, 'no-op': 1, create: 0 });
  });

  it('accepts a plan with no changes (resource_changes omitted)', () => {
    const plan = parseTerraformPlan(readPlanFixture('crafted-no-changes.json'));
    expect(plan).toEqual({ formatVersion: '1.2', resources: [], counts: { create: 0, update: 0, delete: 0, replace: 0, read: 0, 'no-op': 0 } });
  });

  it('treats newer non-destructive actions (forget) as no-op', () => {
    const plan = parseTerraformPlan({ format_version: '1.2', resource_changes: [change('aws_s3_bucket.logs', ['forget'])] });
    expect(plan.resources[0]).toMatchObject({ action: 'no-op', destructive: false });
  });
});

describe('parseTerraformPlan on invalid input', () => {
  it('says when the text is not JSON', () => {
    expectInvalid('{"format_version": "1.2", ', /not valid JSON/);
    expectInvalid('', /empty/);
  });

  it('says when the JSON is not a plan', () => {
    expectInvalid([1, 2], /must be a JSON object/);
    expectInvalid(null, /must be a JSON object/);
    expectInvalid(42, /must be a JSON object/);
    expectInvalid({ hello: 'world' }, /neither `format_version` nor `resource_changes`/);
    expectInvalid({ format_version: 1.2 }, /`format_version` must be a string/);
  });

  it('names the field and the resource that is wrong', () => {
    expectInvalid({ format_version: '1.2', resource_changes: {} }, /`resource_changes` must be an array/);
    expectInvalid({ format_version: '1.2', resource_changes: ['x'] }, /`resource_changes\[0\]` must be an object/);
    expectInvalid({ format_version: '1.2', resource_changes: [{ type: 'aws_vpc', name: 'main', change: { actions: ['create'] } }] }, /resource_changes\[0\]\.address/);
    expectInvalid({ format_version: '1.2', resource_changes: [change('aws_vpc.main', 'delete')] }, /aws_vpc\.main.*non-empty array/);
    expectInvalid({ format_version: '1.2', resource_changes: [change('aws_vpc.main', ['destroy'])] }, /aws_vpc\.main.*"destroy"/);
    expectInvalid({ format_version: '1.2', resource_changes: [change('aws_vpc.main', ['update', 'delete'])] }, /only combines "delete" and "create"/);
    expectInvalid({ format_version: '1.2', resource_changes: [{ address: 'aws_vpc.main', type: 'aws_vpc', name: 'main' }] }, /change` \(aws_vpc\.main\) must be an object/);
  });
});
