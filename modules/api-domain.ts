// The API behind the team's own domain name: the domain (REST: regional or edge-optimized; HTTP API:
// regional), the mapping of its base path to the stage, and the Route53 alias that makes the name resolve.
import { Construct } from 'constructs';
import { frameworkOf } from './cdk';
import { apiCustomDomainUrl, type ResolvedApiDomain } from '../stack/resolve';

export interface ApiDomainProps {
  /** Validated where resolved (stack/validate-deployment.ts): an edge domain's certificate is in us-east-1. */
  domain: ResolvedApiDomain;
  /** Which API Gateway the stage belongs to, and its id and stage name. */
  kind: 'rest' | 'http';
  apiId: string;
  stageName: string;
  tags?: Record<string, string>;
}

/** Where the alias record points: the domain's own target name and hosted zone. */
interface AliasTarget {
  name: string;
  zoneId: string;
}

export class ApiDomain extends Construct {
  /** https://<domain>/<base path>: the stage on the custom domain. */
  readonly url: string;
  /** The name API Gateway serves the domain at, for a record made outside this module. */
  readonly target: AliasTarget;

  constructor(scope: Construct, id: string, props: ApiDomainProps) {
    super(scope, id);
    const { domain } = props;
    this.target = props.kind === 'rest' ? this.restDomain(props) : this.httpDomain(props);
    if (domain.route53ZoneId !== undefined) {
      const { aws } = frameworkOf(this);
      new aws.Route53Record(this, 'alias', {
        zoneId: domain.route53ZoneId,
        name: domain.domainName,
        type: 'A',
        alias: { name: this.target.name, zoneId: this.target.zoneId, evaluateTargetHealth: false },
      });
    }
    this.url = apiCustomDomainUrl(domain);
  }

  private restDomain(props: ApiDomainProps): AliasTarget {
    const { aws } = frameworkOf(this);
    const { domain } = props;
    const edge = domain.endpointType === 'EDGE';
    // An edge domain takes its certificate as certificate_arn (CloudFront's, us-east-1), a regional one as
    // regional_certificate_arn; the provider refuses the other combination at apply.
    const name = new aws.ApiGatewayDomainName(this, 'domain', {
      domainName: domain.domainName,
      ...(edge ? { certificateArn: domain.certificateArn } : { regionalCertificateArn: domain.certificateArn }),
      endpointConfiguration: { types: [domain.endpointType] },
      securityPolicy: 'TLS_1_2',
      tags: props.tags,
    });
    new aws.ApiGatewayBasePathMapping(this, 'mapping', {
      apiId: props.apiId,
      stageName: props.stageName,
      domainName: name.domainName,
      // Left out, the mapping is the empty base path: the stage at the root of the domain.
      basePath: domain.basePath === '' ? undefined : domain.basePath,
    });
    return edge
      ? { name: name.cloudfrontDomainName, zoneId: name.cloudfrontZoneId }
      : { name: name.regionalDomainName, zoneId: name.regionalZoneId };
  }

  private httpDomain(props: ApiDomainProps): AliasTarget {
    const { aws } = frameworkOf(this);
    const { domain } = props;
    const name = new aws.Apigatewayv2DomainName(this, 'domain', {
      domainName: domain.domainName,
      domainNameConfiguration: {
        certificateArn: domain.certificateArn,
        endpointType: 'REGIONAL',
        securityPolicy: 'TLS_1_2',
      },
      tags: props.tags,
    });
    new aws.Apigatewayv2ApiMapping(this, 'mapping', {
      apiId: props.apiId,
      stage: props.stageName,
      domainName: name.domainName,
      apiMappingKey: domain.basePath === '' ? undefined : domain.basePath,
    });
    return {
      name: name.domainNameConfiguration.targetDomainName,
      zoneId: name.domainNameConfiguration.hostedZoneId,
    };
  }
}
