// The custom domain's mapping of paths onto the stage: whole base-path segments, the query kept, and the
// root of the domain when there is no base path.
import { stagePathOf } from './custom-domain';

describe('stagePathOf', () => {
  it('maps the base path and what follows it onto the stage, query and all', () => {
    expect(stagePathOf('/shop/v1/pets/7?expand=owner', 'shop/v1', 'prod')).toBe('/prod/pets/7?expand=owner');
    expect(stagePathOf('/shop/v1', 'shop/v1', 'prod')).toBe('/prod');
    expect(stagePathOf('/shop/v1?x=1', 'shop/v1', 'prod')).toBe('/prod?x=1');
  });

  it('takes no path outside the base path, nor one that only starts with its letters', () => {
    expect(stagePathOf('/shop/v10/pets', 'shop/v1', 'prod')).toBeUndefined();
    expect(stagePathOf('/prod/pets', 'shop/v1', 'prod')).toBeUndefined();
    expect(stagePathOf('/', 'shop/v1', 'prod')).toBeUndefined();
  });

  it('serves the stage at the root of the domain without a base path', () => {
    expect(stagePathOf('/pets', '', 'prod')).toBe('/prod/pets');
    expect(stagePathOf('/', '', 'prod')).toBe('/prod/');
  });
});
