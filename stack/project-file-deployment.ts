// The project file's shapes for the props that place the API and its functions in the team's own network
// and names (apiDomain, functions.<name>.vpc). Shapes only: validate-deployment.ts checks the values.
import { z } from 'zod';

export const functionVpcShape = z.strictObject({
  subnetIds: z.array(z.string()),
  securityGroupIds: z.array(z.string()),
});

export const apiDomainShape = z.strictObject({
  domainName: z.string(),
  certificateArn: z.string(),
  endpointType: z.enum(['REGIONAL', 'EDGE']).optional(),
  basePath: z.string().optional(),
  route53ZoneId: z.string().optional(),
  disableExecuteApiEndpoint: z.boolean().optional(),
});
