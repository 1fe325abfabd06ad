// The local route table never lets one operation take another's requests: a model with two operations on one
// route (which lint refuses, e.g. /pets secured beside /pets/ public) fails at start naming both; paths that
// differ in case are two routes, as API Gateway's case-sensitive resource paths are (aws-refusals.test.ts).
import * as path from 'node:path';
import { loadApiModel } from '../../openapi/model/load';
import type { Operation } from '../../openapi/model/types';
import { RouteInvariantError, RouteTable } from './routes';

const PETS = path.join(__dirname, '..', '..', 'openapi', 'pets.yaml');

async function listPets(): Promise<Operation> {
  const model = await loadApiModel(PETS);
  const op = model.operations.find((o) => o.method === 'GET' && o.path === '/pets');
  if (!op) throw new Error('openapi/pets.yaml has no GET /pets');
  return op;
}

test('a second GET on /pets/ (a trailing slash) is refused at start, naming both operations', async () => {
  const second = '/pets/';
  const first = await listPets();
  const open: Operation = {
    ...first,
    id: 'listPetsOpen',
    path: second,
    pointer: `/paths/${second.replace(/\//g, '~1')}/get`,
  };
  expect(() => new RouteTable([first, open], 'rest')).toThrow(RouteInvariantError);
  expect(() => new RouteTable([first, open], 'http')).toThrow(
    new RegExp(`${first.pointer}.*map to one route|map to one route.*${first.pointer}`),
  );
});

test('templates that differ only in variable names are one route: the second is refused, not silently kept', async () => {
  const first = await listPets();
  const a: Operation = { ...first, id: 'a', path: '/pets/{id}', pointer: '/paths/~1pets~1{id}/get' };
  const b: Operation = { ...first, id: 'b', path: '/pets/{petId}', pointer: '/paths/~1pets~1{petId}/get' };
  expect(() => new RouteTable([a, b], 'http')).toThrow(/\/paths\/~1pets~1\{petId\}\/get.*\/paths\/~1pets~1\{id\}\/get/);
});

test('/pets and /Pets are two routes, each reaching its own operation', async () => {
  const first = await listPets();
  const upper: Operation = { ...first, id: 'upper', path: '/Pets', pointer: '/paths/~1Pets/get' };
  const table = new RouteTable([first, upper], 'rest');
  const route = (p: string) => {
    const r = table.match('GET', p);
    return r.found ? r.match.operation.id : undefined;
  };
  expect(route('/pets')).toBe(first.id);
  expect(route('/Pets')).toBe('upper');
  expect(route('/PETS')).toBeUndefined();
});
