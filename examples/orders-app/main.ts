import { App, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SecuredApi } from 'gatehouse';

const app = new App();
const stack = new TerraformStack(app, 'orders');
new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
SecuredApi.fromProjectFile(stack, 'api', 'gatehouse.config.yaml');
app.synth();
