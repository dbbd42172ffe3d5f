import { describe, expect, it } from 'vitest';
import { ExportOwners } from './export-owners.ts';

describe('ExportOwners', () => {
  it('remembers which organization an export was made for', async () => {
    const owners = new ExportOwners();
    await owners.remember('exp_1', 'org_a');
    await owners.remember('exp_2', 'org_b');
    expect(await owners.ownerOf('exp_1')).toBe('org_a');
    expect(await owners.ownerOf('exp_2')).toBe('org_b');
    expect(await owners.ownerOf('exp_3')).toBeUndefined();
  });

  it('a second remember of the same export replaces its owner', async () => {
    const owners = new ExportOwners();
    await owners.remember('exp_1', 'org_a');
    await owners.remember('exp_1', 'org_b');
    expect(await owners.ownerOf('exp_1')).toBe('org_b');
  });

  it.each([
    // capacity, remembered in order, forgotten, kept
    [2, ['exp_1', 'exp_2', 'exp_3'], ['exp_1'], ['exp_2', 'exp_3']],
    [3, ['exp_1', 'exp_2', 'exp_3'], [], ['exp_1', 'exp_2', 'exp_3']],
    [1, ['exp_1', 'exp_2', 'exp_3'], ['exp_1', 'exp_2'], ['exp_3']],
    // Remembering exp_1 again makes it the newest: exp_2 goes first.
    [2, ['exp_1', 'exp_2', 'exp_1', 'exp_3'], ['exp_2'], ['exp_1', 'exp_3']],
  ])('capacity %i after %j forgets %j and keeps %j', async (capacity, remembered, forgotten, kept) => {
    const owners = new ExportOwners({ capacity });
    for (const id of remembered) await owners.remember(id, `org_of_${id}`);
    for (const id of forgotten) expect(await owners.ownerOf(id)).toBeUndefined();
    for (const id of kept) expect(await owners.ownerOf(id)).toBe(`org_of_${id}`);
  });
});
