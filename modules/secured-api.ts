// SecuredApi: a Cognito user pool in front of an API Gateway API, both from one OpenAPI document.
import { Construct } from 'constructs';
import { frameworkOf } from './cdk';
import { loadApiModel } from '../openapi/model/load';
import { lintSpecSync } from '../openapi/model/load-sync';
import { formatProblem, InputError, problemAt, SpecError } from '../openapi/model/problems';
import { loadProjectFile, PROJECT_FILE_NAMES } from '../stack/project-file';
import type { ApiModel } from '../openapi/model/types';
import { placeholderResolver } from '../stack/binding';
import type { SecuredApiProps } from '../stack/props';
import {
  bindingProblems,
  DEFAULT_CONSTRUCT_ID,
  resolveProps,
  resourceNamePrefix,
  type ResolvedProps,
} from '../stack/resolve';
import { terraformBody, type BoundValue } from './terraform-body';
import { synthTimeString } from './synth-time-string';
import { UserPool } from './user-pool';
import { LambdaFunctions } from './lambda-functions';
import { invokedFunctionNames } from '../stack/invoked-functions';
import { authorizerFunctionNames } from './authorizer-permissions';
import { RestApi } from './rest-api';
import { HttpApi } from './http-api';
import { ApiDomain } from './api-domain';
import { accessLoggingOf } from './access-logs';
import { StackOutputsTf } from './stack-outputs';

export class SecuredApi extends Construct {
  readonly model: ApiModel;
  readonly resolved: ResolvedProps;
  readonly userPool: UserPool;
  readonly functions: LambdaFunctions;
  /** Exactly one of these, as the document's kind says. */
  readonly restApi?: RestApi;
  readonly httpApi?: HttpApi;
  /** The API's custom domain, when the props give apiDomain. */
  readonly apiDomain?: ApiDomain;
  /** The document as the API resource imports it (a token: built at synth time). */
  readonly body: string;
  readonly outputs: StackOutputsTf;

  /**
   * The project file's document and props (gatehouse.config.yaml: the same ones `gatehouse local` and
   * `gatehouse contract` read, so the local stack and the deployed one agree); `overrides` win over the file.
   * @throws InputError for a project file that is missing, not YAML, or holds unknown keys or bad values.
   */
  static fromProjectFile(
    scope: Construct,
    id: string,
    file = PROJECT_FILE_NAMES[0],
    overrides: Partial<SecuredApiProps> = {},
  ): SecuredApi {
    const project = loadProjectFile(file);
    const spec = overrides.spec ?? project.spec;
    if (spec === undefined)
      throw new InputError([
        problemAt(
          'spec-missing',
          file,
          '',
          'The project file names no document.',
          'Add `spec: <path of the OpenAPI document>` to it, or pass { spec } in the overrides.',
        ),
      ]);
    return new SecuredApi(scope, id, { ...project.props, variables: project.variables, ...overrides, spec });
  }

  /** Loads the document asynchronously first: for callers that have an event loop to spare, and the same result. */
  static async fromSpecFile(scope: Construct, id: string, props: SecuredApiProps): Promise<SecuredApi> {
    const model = typeof props.spec === 'string' ? await loadApiModel(props.spec) : props.spec;
    return new SecuredApi(scope, id, { ...props, spec: model });
  }

  /**
   * @param props props.spec is the document's path (read now, synchronously) or a model from loadApiModel.
   * @throws SpecError with every problem of the document, or when it names clients, functions or backends the
   * props do not define.
   * @throws PropsError (before any resource is created) when AWS would refuse the props.
   */
  constructor(scope: Construct, id: string, props: SecuredApiProps) {
    super(scope, id);
    const { aws, core } = frameworkOf(this);
    const model = typeof props.spec === 'string' ? loadDocument(this, props.spec, props.variables) : props.spec;
    const namePrefix = resourceNamePrefix(core.TerraformStack.of(this).node.id, id, props.name);
    const resolved = resolveProps(props, model, namePrefix);
    const unbound = bindingProblems(model, props, resolved);
    if (unbound.length > 0) throw new SpecError(unbound);
    this.model = model;
    this.resolved = resolved;

    const region = new aws.DataAwsRegion(this, 'region').region;
    const partition = new aws.DataAwsPartition(this, 'partition').partition;
    this.userPool = new UserPool(this, 'user-pool', { resolved, region, tags: props.tags });
    this.functions = new LambdaFunctions(this, 'functions', {
      functions: props.functions ?? {},
      namePrefix,
      partition,
      tags: props.tags,
    });

    // The pool's endpoint is `cognito-idp.<region>.amazonaws.com/<pool id>`, as the provider computes it.
    const issuer = `https://${this.userPool.pool.endpoint}`;
    const references = <V>(byName: Record<string, V>, reference: (value: V) => string): Record<string, BoundValue> =>
      Object.fromEntries(Object.entries(byName).map(([name, value]) => [name, { reference: reference(value) }]));
    const bind = placeholderResolver<BoundValue>({
      userPoolArn: { reference: this.userPool.pool.arn },
      issuer: { reference: issuer },
      region: { reference: region },
      clientIds: references(this.userPool.clients, (client) => client.id),
      lambdaInvokeArns: references(this.functions.byName, (fn) => fn.invokeArn),
      backends: Object.fromEntries(Object.entries(resolved.backends).map(([name, url]) => [name, { text: url }])),
    });
    this.body = synthTimeString(this, (resolveReference) =>
      terraformBody(model.body, (p) => {
        const bound = bind(p);
        return 'reference' in bound ? { reference: resolveReference(bound.reference) } : bound;
      }),
    );

    const api = {
      name: model.title,
      body: this.body,
      stageName: resolved.stageName,
      functions: this.functions.byName,
      invokedFunctions: invokedFunctionNames(model),
      authorizerFunctions: authorizerFunctionNames(model),
      accessLogging: accessLoggingOf(props.accessLogging),
      namePrefix,
      tags: props.tags,
      // Left out unless turned off, so that a stack without it synthesizes as before.
      disableExecuteApiEndpoint: resolved.apiDomain?.disableExecuteApiEndpoint ? true : undefined,
    };
    let apiUrl: string;
    // The stage's own name attribute, so that the domain's mapping waits for the stage.
    let stage: { apiId: string; stageName: string };
    if (model.kind === 'rest') {
      this.restApi = new RestApi(this, 'rest-api', { ...api, documentHash: model.bodyHash });
      apiUrl = this.restApi.invokeUrl;
      stage = { apiId: this.restApi.api.id, stageName: this.restApi.stage.stageName };
    } else {
      this.httpApi = new HttpApi(this, 'http-api', api);
      apiUrl = this.httpApi.invokeUrl;
      stage = { apiId: this.httpApi.api.id, stageName: this.httpApi.stage.name };
    }
    if (resolved.apiDomain)
      this.apiDomain = new ApiDomain(this, 'api-domain', {
        domain: resolved.apiDomain,
        kind: model.kind,
        ...stage,
        tags: props.tags,
      });

    this.outputs = new StackOutputsTf(this, 'outputs', {
      apiUrl,
      apiCustomDomainUrl: this.apiDomain?.url ?? '',
      executeApiEndpointDisabled: resolved.apiDomain?.disableExecuteApiEndpoint ?? false,
      apiKind: model.kind,
      stageName: resolved.stageName,
      region,
      issuer,
      userPool: this.userPool,
      resolved,
      namePrefix: id === DEFAULT_CONSTRUCT_ID ? '' : `${id.replace(/[^A-Za-z0-9_-]/g, '_')}_`,
    });
  }
}

/** The document's model; its warnings become the construct's warnings, which cdktf prints once at synth. */
function loadDocument(scope: Construct, file: string, variables: Readonly<Record<string, string>> = {}): ApiModel {
  const result = lintSpecSync(file, { variables: { ...variables } });
  if (!result.model) throw new SpecError(result.problems);
  const { core } = frameworkOf(scope);
  for (const warning of result.problems.filter((p) => p.severity === 'warning'))
    core.Annotations.of(scope).addWarning(formatProblem(warning));
  return result.model;
}
