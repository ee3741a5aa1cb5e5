import { ApiObject, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ROLLOUTS_RBAC_NAMES } from './defaults';
import { DNS1123_LABEL_RULE, isDns1123Label } from './_checks';
import { ProblemList, formatValue } from './canary-app-error';

/** Who gets a role (RoleBinding subjects). */
export interface RoleSubjects {
  /**
   * Groups, e.g. `['sre']`.
   * @default - none
   */
  readonly groups?: string[];
  /**
   * Users, e.g. `['alice@example.com']`.
   * @default - none
   */
  readonly users?: string[];
  /**
   * Service accounts of the Roles' namespace.
   * @default - none
   */
  readonly serviceAccounts?: string[];
}

/** Properties for `RolloutsRbac`. */
export interface RolloutsRbacProps {
  /**
   * Namespace of the Roles and RoleBindings.
   * @default - the chart's namespace, else none (kubectl's current)
   * @jsii suppress JSII5018
   */
  readonly namespace?: string;
  /**
   * Name of the read-only Role.
   * @default 'rollouts-reader'
   */
  readonly readerRoleName?: string;
  /**
   * Name of the Role that may promote, abort and retry.
   * @default 'rollouts-writer'
   */
  readonly writerRoleName?: string;
  /**
   * Subjects bound to the reader Role (RoleBinding `<readerRoleName>-binding`).
   * @default - no RoleBinding
   */
  readonly readers?: RoleSubjects;
  /**
   * Subjects bound to the writer Role (RoleBinding `<writerRoleName>-binding`).
   * @default - no RoleBinding
   */
  readonly writers?: RoleSubjects;
}

const ARGO_GROUP = 'argoproj.io';
const READ = ['get', 'list', 'watch'];

/**
 * The write-up's RBAC for the Argo Rollouts dashboard and kubectl plugin: `rollouts-reader` (watch
 * rollouts, analysis runs, experiments and rollout status) and `rollouts-writer` (also patch
 * rollouts and their status, which promote / abort / retry need), with optional RoleBindings.
 * One per namespace (the Role names are fixed), not one per app.
 */
export class RolloutsRbac extends Construct {
  /** The reader Role. */
  public readonly readerRole: ApiObject;
  /** The writer Role. */
  public readonly writerRole: ApiObject;
  /** RoleBinding of `readers`, if given. */
  public readonly readerBinding?: ApiObject;
  /** RoleBinding of `writers`, if given. */
  public readonly writerBinding?: ApiObject;

  public constructor(scope: Construct, id: string, props: RolloutsRbacProps = {}) {
    super(scope, id);
    const problems = new ProblemList();
    let chartNamespace: string | undefined;
    try {
      chartNamespace = Chart.of(this).namespace;
    } catch {
      chartNamespace = undefined;
    }
    const saNamespace = props.namespace ?? chartNamespace;
    const readerName = props.readerRoleName ?? ROLLOUTS_RBAC_NAMES.readerRole;
    const writerName = props.writerRoleName ?? ROLLOUTS_RBAC_NAMES.writerRole;
    if (!isDns1123Label(readerName)) problems.add('readerRoleName', readerName, DNS1123_LABEL_RULE);
    if (!isDns1123Label(writerName)) problems.add('writerRoleName', writerName, DNS1123_LABEL_RULE);
    else if (writerName === readerName) problems.add('writerRoleName', writerName, 'must differ from readerRoleName');
    if (props.namespace !== undefined && !isDns1123Label(props.namespace)) problems.add('namespace', props.namespace, DNS1123_LABEL_RULE);
    for (const which of ['readers', 'writers'] as const) {
      const s = props[which];
      if (s === undefined) continue;
      const all = [...(s.groups ?? []), ...(s.users ?? []), ...(s.serviceAccounts ?? [])];
      if (all.length === 0) problems.add(which, s, 'must name at least one group, user or service account (or be omitted)');
      all.forEach((n) => {
        if (typeof n !== 'string' || n.trim() === '' || n !== n.trim()) problems.add(which, n, 'subject names must be non-empty without surrounding spaces');
      });
      (s.serviceAccounts ?? []).forEach((n, i) => {
        if (!isDns1123Label(n)) problems.add(`${which}.serviceAccounts[${i}]`, n, DNS1123_LABEL_RULE);
      });
      if ((s.serviceAccounts ?? []).length > 0 && saNamespace === undefined) {
        problems.add(`${which}.serviceAccounts`, s.serviceAccounts, 'need a namespace (props.namespace or the chart\'s): ServiceAccount subjects must name theirs');
      }
    }
    problems.throwIfAny(`Invalid RolloutsRbac at "${this.node.path}" (reader ${formatValue(readerName)})`);

    const metadata = (name: string) => (props.namespace === undefined ? { name } : { name, namespace: props.namespace });
    this.readerRole = new k8s.KubeRole(this, 'Reader', {
      metadata: metadata(readerName),
      rules: [{ apiGroups: [ARGO_GROUP], resources: ['rollouts', 'analysisruns', 'experiments', 'rollouts/status'], verbs: [...READ] }],
    });
    this.writerRole = new k8s.KubeRole(this, 'Writer', {
      metadata: metadata(writerName),
      rules: [
        { apiGroups: [ARGO_GROUP], resources: ['rollouts', 'analysisruns', 'experiments'], verbs: [...READ] },
        { apiGroups: [ARGO_GROUP], resources: ['rollouts', 'rollouts/status'], verbs: ['get', 'patch'] },
      ],
    });
    const bind = (id2: string, role: string, s: RoleSubjects): ApiObject =>
      new k8s.KubeRoleBinding(this, id2, {
        metadata: metadata(`${role}${ROLLOUTS_RBAC_NAMES.bindingSuffix}`),
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role },
        subjects: [
          ...(s.groups ?? []).map((name) => ({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name })),
          ...(s.users ?? []).map((name) => ({ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name })),
          ...(s.serviceAccounts ?? []).map((name) =>
            ({ kind: 'ServiceAccount', name, namespace: saNamespace })),
        ],
      });
    if (props.readers) this.readerBinding = bind('ReaderBinding', readerName, props.readers);
    if (props.writers) this.writerBinding = bind('WriterBinding', writerName, props.writers);
  }
}
