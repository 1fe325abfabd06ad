// The API's custom domain as cdktf synthesizes it: the domain, its mapping and the alias for a REST API
// (regional and edge) and an HTTP API, the execute-api endpoint turned off, and the outputs that say so.
import { loadApiModel } from '../openapi/model/load';
import { PropsError } from '../openapi/model/problems';
import type { ApiModel } from '../openapi/model/types';
import type { ApiDomainOptions } from '../stack/props';
import { summarize } from '../stack/refused-props';
import {
  HELLO_FUNCTION,
  HELLO_HTTP,
  PETS,
  PETSTORE,
  onlyResource,
  referenceTo,
  removeTempDirs,
  resourcesOf,
  synthesize,
} from './test-helpers';
import { appProps } from '../stack/app-props';

let pets: ApiModel;
let hello: ApiModel;
beforeAll(async () => {
  [pets, hello] = await Promise.all([loadApiModel(PETS), loadApiModel(HELLO_HTTP)]);
});
afterAll(removeTempDirs);

const REGIONAL_CERT = 'arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555';
const EDGE_CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/66666666-7777-8888-9999-000000000000';
const ZONE = 'Z0123456789ABCDEFGHIJ';

const restWith = (apiDomain: ApiDomainOptions) => synthesize({ spec: pets, backends: PETSTORE, apiDomain }).json;
const httpWith = (apiDomain: ApiDomainOptions) =>
  synthesize({ spec: hello, clients: appProps(HELLO_HTTP).clients, functions: HELLO_FUNCTION, apiDomain }).json;

describe('a REST API on a regional custom domain', () => {
  const domain = { domainName: 'api.example.com', certificateArn: REGIONAL_CERT, route53ZoneId: ZONE, basePath: 'v1' };

  it('creates the regional domain with its certificate, maps the base path to the stage and aliases the name', () => {
    const json = restWith(domain);
    expect(onlyResource(json, 'aws_api_gateway_domain_name').block).toMatchObject({
      domain_name: 'api.example.com',
      regional_certificate_arn: REGIONAL_CERT,
      endpoint_configuration: { types: ['REGIONAL'] },
      security_policy: 'TLS_1_2',
    });
    expect(onlyResource(json, 'aws_api_gateway_domain_name').block).not.toHaveProperty('certificate_arn');
    expect(onlyResource(json, 'aws_api_gateway_base_path_mapping').block).toEqual({
      api_id: referenceTo(json, 'aws_api_gateway_rest_api', 'id'),
      // The stage's own attribute, so that the mapping waits for the stage.
      stage_name: referenceTo(json, 'aws_api_gateway_stage', 'stage_name'),
      domain_name: referenceTo(json, 'aws_api_gateway_domain_name', 'domain_name'),
      base_path: 'v1',
    });
    expect(onlyResource(json, 'aws_route53_record').block).toEqual({
      zone_id: ZONE,
      name: 'api.example.com',
      type: 'A',
      alias: {
        name: referenceTo(json, 'aws_api_gateway_domain_name', 'regional_domain_name'),
        zone_id: referenceTo(json, 'aws_api_gateway_domain_name', 'regional_zone_id'),
        evaluate_target_health: false,
      },
    });
    expect(resourcesOf(json, 'aws_apigatewayv2_domain_name')).toEqual({});
  });

  it('puts the custom-domain URL beside api_url and keeps the execute-api endpoint on by default', () => {
    const json = restWith(domain);
    const outputs = (json as unknown as { output: Record<string, { value: unknown }> }).output;
    expect(outputs.api_custom_domain_url.value).toBe('https://api.example.com/v1');
    expect(outputs.api_url.value).toBe(referenceTo(json, 'aws_api_gateway_stage', 'invoke_url'));
    expect(outputs.execute_api_endpoint_disabled.value).toBe(false);
    expect(onlyResource(json, 'aws_api_gateway_rest_api').block).not.toHaveProperty('disable_execute_api_endpoint');
  });

  it('turns the execute-api endpoint off when disableExecuteApiEndpoint is set, and says so in the outputs', () => {
    const json = restWith({ ...domain, disableExecuteApiEndpoint: true });
    expect(onlyResource(json, 'aws_api_gateway_rest_api').block.disable_execute_api_endpoint).toBe(true);
    const outputs = (json as unknown as { output: Record<string, { value: unknown }> }).output;
    expect(outputs.execute_api_endpoint_disabled.value).toBe(true);
  });

  it('deploys anew when the endpoint is turned off, since a REST API applies it with its next deployment', () => {
    // "This setting takes affect when you update any setting on any stage, such as updating the deployment on
    // the stage" (API Gateway developer guide, "Disable the default endpoint for REST APIs").
    const triggersOf = (json: ReturnType<typeof restWith>) =>
      onlyResource(json, 'aws_api_gateway_deployment').block.triggers as Record<string, string>;
    const on = triggersOf(restWith(domain));
    const off = triggersOf(restWith({ ...domain, disableExecuteApiEndpoint: true }));
    expect(on).not.toHaveProperty('execute_api_endpoint');
    expect(off).toEqual({ ...on, execute_api_endpoint: 'disabled' });
  });

  it('maps the stage at the root of the domain without a base path, and makes no record without a zone', () => {
    const json = restWith({ domainName: 'api.example.com', certificateArn: REGIONAL_CERT });
    expect(onlyResource(json, 'aws_api_gateway_base_path_mapping').block).not.toHaveProperty('base_path');
    expect(resourcesOf(json, 'aws_route53_record')).toEqual({});
    const outputs = (json as unknown as { output: Record<string, { value: unknown }> }).output;
    expect(outputs.api_custom_domain_url.value).toBe('https://api.example.com');
  });
});

describe('a REST API on an edge-optimized custom domain', () => {
  it('gives CloudFront the us-east-1 certificate and aliases the name to the distribution', () => {
    const json = restWith({
      domainName: 'api.example.com',
      certificateArn: EDGE_CERT,
      endpointType: 'EDGE',
      route53ZoneId: ZONE,
    });
    const block = onlyResource(json, 'aws_api_gateway_domain_name').block;
    expect(block).toMatchObject({ certificate_arn: EDGE_CERT, endpoint_configuration: { types: ['EDGE'] } });
    expect(block).not.toHaveProperty('regional_certificate_arn');
    expect(onlyResource(json, 'aws_route53_record').block.alias).toEqual({
      name: referenceTo(json, 'aws_api_gateway_domain_name', 'cloudfront_domain_name'),
      zone_id: referenceTo(json, 'aws_api_gateway_domain_name', 'cloudfront_zone_id'),
      evaluate_target_health: false,
    });
  });

  it('takes a certificate made in the same stack, whose region is known only at apply', () => {
    const json = restWith({
      domainName: 'api.example.com',
      certificateArn: '${aws_acm_certificate.api.arn}',
      endpointType: 'EDGE',
    });
    expect(onlyResource(json, 'aws_api_gateway_domain_name').block.certificate_arn).toBe(
      '${aws_acm_certificate.api.arn}',
    );
  });

  it('refuses a certificate outside us-east-1 at synth, naming the prop and the ARN', () => {
    let refused: unknown;
    try {
      restWith({ domainName: 'api.example.com', certificateArn: REGIONAL_CERT, endpointType: 'EDGE' });
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(PropsError);
    expect(summarize((refused as PropsError).problems)).toEqual([
      expect.objectContaining({
        rule: 'props-api-domain',
        pointer: '/apiDomain/certificateArn',
        received: JSON.stringify(REGIONAL_CERT),
      }),
    ]);
    expect((refused as PropsError).problems[0].message).toMatch(/us-east-1.*eu-west-1/);
  });
});

describe('an HTTP API on a custom domain', () => {
  it('creates the regional v2 domain, the API mapping with its key and the alias to its target', () => {
    const json = httpWith({
      domainName: 'api.example.com',
      certificateArn: REGIONAL_CERT,
      basePath: 'hello',
      route53ZoneId: ZONE,
      disableExecuteApiEndpoint: true,
    });
    expect(onlyResource(json, 'aws_apigatewayv2_domain_name').block).toEqual({
      domain_name: 'api.example.com',
      domain_name_configuration: {
        certificate_arn: REGIONAL_CERT,
        endpoint_type: 'REGIONAL',
        security_policy: 'TLS_1_2',
      },
    });
    expect(onlyResource(json, 'aws_apigatewayv2_api_mapping').block).toEqual({
      api_id: referenceTo(json, 'aws_apigatewayv2_api', 'id'),
      stage: referenceTo(json, 'aws_apigatewayv2_stage', 'name'),
      domain_name: referenceTo(json, 'aws_apigatewayv2_domain_name', 'domain_name'),
      api_mapping_key: 'hello',
    });
    const domainId = onlyResource(json, 'aws_apigatewayv2_domain_name').id;
    expect(onlyResource(json, 'aws_route53_record').block.alias).toEqual({
      name: `\${aws_apigatewayv2_domain_name.${domainId}.domain_name_configuration[0].target_domain_name}`,
      zone_id: `\${aws_apigatewayv2_domain_name.${domainId}.domain_name_configuration[0].hosted_zone_id}`,
      evaluate_target_health: false,
    });
    expect(onlyResource(json, 'aws_apigatewayv2_api').block.disable_execute_api_endpoint).toBe(true);
    expect(resourcesOf(json, 'aws_api_gateway_domain_name')).toEqual({});
    const outputs = (json as unknown as { output: Record<string, { value: unknown }> }).output;
    expect(outputs.api_custom_domain_url.value).toBe('https://api.example.com/hello');
    expect(outputs.execute_api_endpoint_disabled.value).toBe(true);
  });

  it('refuses an edge-optimized domain, which HTTP APIs do not have', () => {
    expect(() => httpWith({ domainName: 'api.example.com', certificateArn: EDGE_CERT, endpointType: 'EDGE' })).toThrow(
      /apiDomain\/endpointType \[props-api-domain\][\s\S]*REGIONAL only/,
    );
  });
});

describe('without apiDomain', () => {
  it('makes no domain resources, an empty custom-domain URL and the execute-api endpoint on', () => {
    const { json } = synthesize({ spec: pets, backends: PETSTORE });
    for (const type of [
      'aws_api_gateway_domain_name',
      'aws_api_gateway_base_path_mapping',
      'aws_apigatewayv2_domain_name',
      'aws_apigatewayv2_api_mapping',
      'aws_route53_record',
    ])
      expect(resourcesOf(json, type)).toEqual({});
    const outputs = (json as unknown as { output: Record<string, { value: unknown }> }).output;
    expect(outputs.api_custom_domain_url.value).toBe('');
    expect(outputs.execute_api_endpoint_disabled.value).toBe(false);
  });
});
